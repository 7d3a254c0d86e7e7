package org.clinloop.cds;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.CallerText;
import org.clinloop.audit.DetailReader;

/**
 * What a {@code CDS_FEEDBACK_RECEIVED} audit entry records: an EHR's word on one proposal card,
 * kept as clinician feedback. Record version 1 (no {@code recordVersion} key).
 *
 * @param service        the CDS service whose card it was
 * @param card           the card's uuid
 * @param proposal       the proposal the card showed
 * @param model          the model version that made the proposal
 * @param outcome        {@code accepted} or {@code overridden}
 * @param reason         the coded override reason, or null
 * @param userComment    the clinician's comment as sent (capped), or null
 * @param label          what the feedback teaches the model, or null when nothing
 */
public record CdsFeedbackReceived(String service, String card, String proposal, String model, String outcome,
                                  String reason, String userComment, String label) {

    public static final int RECORD_VERSION = 1;
    public static final AuditEventType TYPE = AuditEventType.CDS_FEEDBACK_RECEIVED;

    public CdsFeedbackReceived {
        Objects.requireNonNull(card, "Card is required.");
        Objects.requireNonNull(proposal, "Proposal is required.");
        Objects.requireNonNull(outcome, "Outcome is required.");
    }

    public Map<String, Object> toDetail() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("service", service);
        d.put("card", card);
        d.put("proposal", proposal);
        d.put("model", model);
        d.put("outcome", outcome);
        d.put("reason", reason);
        d.put("userComment", userComment == null ? null : CallerText.capped(userComment));
        d.put("label", label);
        return d;
    }

    public static CdsFeedbackReceived fromEntry(AuditEntry entry) {
        DetailReader d = DetailReader.of(TYPE, entry);
        d.requireRecordVersion(RECORD_VERSION);
        return new CdsFeedbackReceived(d.string("service"), d.string("card"), d.string("proposal"),
                d.nullableString("model"), d.string("outcome"), d.nullableString("reason"),
                d.nullableString("userComment"), d.nullableString("label"));
    }
}
