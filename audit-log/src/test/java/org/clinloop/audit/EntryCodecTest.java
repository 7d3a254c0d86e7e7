package org.clinloop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

    record Reading(String code, BigDecimal value, String unit) {
    }

    @Test
    void detailKeysAreSortedAtEveryDepthAndRecordsEncodeLikeMaps() {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("zeta", 1);
        detail.put("alpha", Map.of("y", true, "b", List.of(3, 2, 1)));
        detail.put("reading", new Reading("8480-6", new BigDecimal("152.0"), "mm[Hg]"));

        assertThat(EntryCodec.canonicalDetail(detail)).isEqualTo(
                "{\"alpha\":{\"b\":[3,2,1],\"y\":true},\"reading\":{\"code\":\"8480-6\",\"unit\":\"mm[Hg]\","
                        + "\"value\":152.0},\"zeta\":1}");
    }

    @Test
    void entryEncodingIsFixedForFormatOne() {
        byte[] bytes = EntryCodec.canonicalEntry(1, 7, Instant.parse("2026-11-23T10:15:30.123456Z"),
                AuditEventType.TIER_DECIDED, "system:approval-workflow", "p-1", "{\"tier\":\"AUTO\"}");

        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(
                "{\"actor\":\"system:approval-workflow\",\"detail\":{\"tier\":\"AUTO\"},\"format\":1,"
                        + "\"patient\":\"p-1\",\"recordedAt\":\"2026-11-23T10:15:30.123Z\",\"sequence\":7,"
                        + "\"type\":\"TIER_DECIDED\"}");
    }

    @Test
    void chainHashIsSha256OfPreviousHashBytesThenEntry() {
        // Known answer, computed outside Java: (head -c 32 /dev/zero; printf abc) | sha256sum
        assertThat(EntryCodec.chainHash(EntryCodec.GENESIS_HASH, "abc".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("365aa7d8f7f9402c4b9434502b4cc89ddb09fe50d7cd95b493b834c62d5a5370");
    }

    @Test
    void unknownFormatIsRefusedByName() {
        assertThatThrownBy(() -> EntryCodec.canonicalEntry(2, 1, Instant.EPOCH, AuditEventType.AUDIT_READ,
                "a", null, "{}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format 2 is not known");
    }
}
