package org.clinloop.cds;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.CallerText;
import org.clinloop.audit.DetailReader;

/**
 * What a {@code CDS_HOOK_CALLED} audit entry records: one CDS Hooks call an EHR made and what
 * ClinLoop answered. The entry's actor is the EHR ({@code cds:<issuer>}), its patient the call's.
 *
 * <p>Record version 1 (entries carry no {@code recordVersion} key). Caller-chosen text (hook
 * instance, jti, prefetch keys) is capped.
 *
 * @param service       the CDS service id called
 * @param hook          the hook it serves ({@code patient-view}, {@code order-sign})
 * @param hookInstance  the EHR's id of this hook firing
 * @param jti           the id of the JWT the call carried
 * @param prefetched    the prefetch keys the EHR sent with data
 * @param fetched       the FHIR queries ClinLoop made to the EHR's FHIR server for what was not sent
 * @param cards         each card answered, {@code indicator: summary}
 * @param rulesFired    for order-sign, every rule that fired, {@code rule: VERDICT}
 * @param rulesVersion  the rule set, or null when no rule ran
 */
public record CdsHookCalled(String service, String hook, String hookInstance, String jti, List<String> prefetched,
                            List<String> fetched, List<String> cards, List<String> rulesFired, String rulesVersion) {

    public static final int RECORD_VERSION = 1;
    public static final AuditEventType TYPE = AuditEventType.CDS_HOOK_CALLED;

    public CdsHookCalled {
        Objects.requireNonNull(service, "Service is required.");
        Objects.requireNonNull(hook, "Hook is required.");
        prefetched = List.copyOf(prefetched);
        fetched = List.copyOf(fetched);
        cards = List.copyOf(cards);
        rulesFired = List.copyOf(rulesFired);
    }

    public Map<String, Object> toDetail() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("service", service);
        d.put("hook", hook);
        d.put("hookInstance", CallerText.capped(String.valueOf(hookInstance)));
        d.put("jti", CallerText.capped(String.valueOf(jti)));
        d.put("prefetched", prefetched.stream().map(CallerText::capped).toList());
        d.put("fetched", fetched);
        d.put("cards", cards);
        d.put("rulesFired", rulesFired);
        d.put("rulesVersion", rulesVersion);
        return d;
    }

    public static CdsHookCalled fromEntry(AuditEntry entry) {
        DetailReader d = DetailReader.of(TYPE, entry);
        d.requireRecordVersion(RECORD_VERSION);
        return new CdsHookCalled(d.string("service"), d.string("hook"), d.string("hookInstance"), d.string("jti"),
                d.strings("prefetched"), d.strings("fetched"), d.strings("cards"), d.strings("rulesFired"),
                d.nullableString("rulesVersion"));
    }
}
