package org.clinloop.cds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.EntryCodec;
import org.junit.jupiter.api.Test;

/**
 * CDS_HOOK_CALLED and CDS_FEEDBACK_RECEIVED details as the first writer wrote them (golden files,
 * never regenerated) parse into their records and re-encode to the same canonical bytes.
 */
class CdsRecordsGoldenTest {

    static final Instant AT = Instant.parse("2026-12-08T02:15:00Z");

    static final CdsHookCalled CALLED = new CdsHookCalled("clinloop-order-sign", "order-sign",
            "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea", "jti-7", List.of("patient"), List.of(),
            List.of("critical: Blocked by ClinLoop's rule \"Outside the protocol's hard limits\": 197884 80 mg daily"),
            List.of("Outside the protocol's hard limits: BLOCKED", "Autonomy not enabled: NEEDS_APPROVAL"),
            "titration-safety@4e4dccb4819f43fc");
    static final CdsFeedbackReceived OVERRIDDEN = new CdsFeedbackReceived("clinloop-patient-view",
            "9b0c7f6e-3f51-4d0e-9a4f-2f7f3c8d1e22", "proposal-1", "model-3", "overridden", "CLINICAL_JUDGEMENT",
            "white-coat pattern", "HOLD");
    static final CdsFeedbackReceived ACCEPTED = new CdsFeedbackReceived("clinloop-patient-view",
            "0c4e1a5b-7d3e-4f6a-8b2c-9d0e1f2a3b4c", "proposal-2", "model-3", "accepted", null, null, "INCREASE");

    static String golden(String name) {
        try (InputStream in = CdsRecordsGoldenTest.class.getResourceAsStream("/golden/records/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static AuditEntry entry(AuditEventType type, String detailJson) {
        return new AuditEntry(42, 1, AT, type, "cds:https://ehr.example.org", "p-1", detailJson,
                EntryCodec.GENESIS_HASH, "");
    }

    @Test
    void aHookCallReadsBackAndReEncodesToTheSameBytes() {
        String json = golden("cds-hook-called.json");
        assertThat(CdsHookCalled.fromEntry(entry(CdsHookCalled.TYPE, json))).isEqualTo(CALLED);
        assertThat(EntryCodec.canonicalDetail(CALLED.toDetail())).isEqualTo(json);
    }

    @Test
    void feedbackReadsBackAndReEncodesToTheSameBytesNullsIncluded() {
        String overridden = golden("cds-feedback-overridden.json");
        assertThat(CdsFeedbackReceived.fromEntry(entry(CdsFeedbackReceived.TYPE, overridden))).isEqualTo(OVERRIDDEN);
        assertThat(EntryCodec.canonicalDetail(OVERRIDDEN.toDetail())).isEqualTo(overridden);
        String accepted = golden("cds-feedback-accepted.json");
        assertThat(CdsFeedbackReceived.fromEntry(entry(CdsFeedbackReceived.TYPE, accepted))).isEqualTo(ACCEPTED);
        assertThat(EntryCodec.canonicalDetail(ACCEPTED.toDetail())).isEqualTo(accepted);
    }
}
