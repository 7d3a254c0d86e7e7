package org.clinloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Entries written by format 1 stay verifiable forever. The golden file was produced by this
 * build's {@link EntryCodec} and is never regenerated: if this test fails, the encoding changed.
 */
class GoldenFormatTest {

    @Test
    void formatOneGoldenChainStillVerifies() throws IOException {
        List<AuditEntry> entries = new ArrayList<>();
        var mapper = JsonMapper.builder().addModule(new JavaTimeModule()).build();
        try (InputStream in = getClass().getResourceAsStream("/golden/audit-format-1.ndjson")) {
            assertThat(in).as("golden file").isNotNull();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    entries.add(mapper.readValue(line, AuditEntry.class));
                }
            }
        }
        assertThat(entries).hasSize(5);
        ChainVerification result = InMemoryChain.verify(entries);
        assertThat(result.intact()).as(result.reason()).isTrue();
        assertThat(result.headHash()).isEqualTo(entries.get(4).hash());
    }

    /** A tree head signed in format 1 (of the CT test vector's 8-leaf root) keeps verifying, and only unaltered. */
    @Test
    void formatOneSignedTreeHeadStillVerifies() throws IOException {
        var mapper = JsonMapper.builder().addModule(new JavaTimeModule()).build();
        try (InputStream in = getClass().getResourceAsStream("/golden/tree-head-format-1.json")) {
            var golden = mapper.readTree(in);
            SignedTreeHead head = mapper.treeToValue(golden.get("treeHead"), SignedTreeHead.class);
            TreeHeadKey key = mapper.treeToValue(golden.get("publicKey"), TreeHeadKey.class);
            assertThat(key.verifies(head)).isTrue();
            assertThat(key.verifies(new SignedTreeHead(1, head.size() + 1, head.rootHash(), head.timestamp(),
                    head.keyId(), head.algorithm(), head.signature()))).isFalse();
            assertThat(new String(head.signedBytes(), StandardCharsets.UTF_8)).isEqualTo(
                    "{\"rootHash\":\"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\",\"size\":8,"
                            + "\"timestamp\":\"2026-11-23T12:00:00.125Z\",\"version\":1}");
        }
    }
}
