package org.clinloop.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The export format (NDJSON) and its offline verifier. Line 1 is a header naming the format, the
 * signed tree head and the public key; then one entry per line, in sequence order, from 1 to the
 * head's size. The verifier needs nothing but the file (and, better, a copy of the public key
 * obtained independently): it checks the head's signature, the hash chain and that the Merkle
 * root of the entries equals the signed root.
 * {@link AuditExportCli} runs the verifier from the command line.
 */
public final class AuditExport {

    public static final String KIND = "clinloop-audit-export";
    public static final int FORMAT = 1;
    static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private AuditExport() {
    }

    /** What the verifier found. */
    public record Result(boolean ok, long entries, String rootHash, String keyId, String message) {
    }

    public static void writeHeader(Writer out, SignedTreeHead head, TreeHeadKey key) throws IOException {
        var header = JSON.createObjectNode();
        header.put("kind", KIND);
        header.put("format", FORMAT);
        header.set("treeHead", JSON.valueToTree(head));
        header.set("publicKey", JSON.valueToTree(key));
        out.write(JSON.writeValueAsString(header));
        out.write('\n');
    }

    public static void writeEntry(Writer out, AuditEntry entry) throws IOException {
        out.write(JSON.writeValueAsString(entry));
        out.write('\n');
    }

    /** Verifies an export; {@code pinnedKey} (base64 SPKI or PEM) is the key the auditor trusts, or null to trust the file's. */
    public static Result verify(BufferedReader in, String pinnedKey) throws IOException {
        String first = in.readLine();
        if (first == null) {
            return new Result(false, 0, null, null, "expected a header line, found an empty file");
        }
        JsonNode header = JSON.readTree(first);
        if (!KIND.equals(header.path("kind").asText()) || header.path("format").asInt() != FORMAT) {
            return new Result(false, 0, null, null, "expected kind " + KIND + " format " + FORMAT + ", found "
                    + header.path("kind").asText() + " format " + header.path("format").asText());
        }
        SignedTreeHead head = JSON.treeToValue(header.get("treeHead"), SignedTreeHead.class);
        TreeHeadKey key = JSON.treeToValue(header.get("publicKey"), TreeHeadKey.class);
        if (pinnedKey != null) {
            String pinned = pinnedKey.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            if (!pinned.equals(key.publicKey())) {
                return new Result(false, 0, head.rootHash(), key.keyId(),
                        "expected the export to be signed by the pinned key, found key " + key.keyId());
            }
        }
        if (!key.verifies(head)) {
            return new Result(false, 0, head.rootHash(), key.keyId(), "expected a valid Ed25519 signature on the tree head "
                    + "of size " + head.size() + " by key " + key.keyId() + ", found one that does not verify");
        }
        ChainVerifier chain = new ChainVerifier();
        MerkleTree.Frontier frontier = new MerkleTree.Frontier();
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) {
                continue;
            }
            AuditEntry entry = JSON.readValue(line, AuditEntry.class);
            if (!chain.accept(entry)) {
                ChainVerification r = chain.result();
                return new Result(false, r.entriesChecked(), null, key.keyId(), "entry " + r.firstBroken() + ": "
                        + r.reason());
            }
            frontier.append(EntryCodec.leafHash(entry));
        }
        if (frontier.size() != head.size()) {
            return new Result(false, frontier.size(), null, key.keyId(), "expected " + head.size()
                    + " entries under the signed tree head, found " + frontier.size());
        }
        String root = HexFormat.of().formatHex(frontier.root());
        if (!root.equals(head.rootHash())) {
            return new Result(false, frontier.size(), root, key.keyId(), "expected Merkle root " + head.rootHash()
                    + " as signed, found " + root);
        }
        return new Result(true, frontier.size(), root, key.keyId(), String.format(Locale.ROOT,
                "OK: %d entries; chain intact; Merkle root %s matches the tree head signed by key %s at %s",
                frontier.size(), root, key.keyId(), head.timestamp()));
    }
}
