package org.clinloop.fairness;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.Fingerprints;
import org.clinloop.fairness.internal.ReportStore;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs, stores and audit-logs fairness reports. Every stored report is immutable and versioned
 * per kind; its SHA-256 is in the audit log, so a compliance officer can check it was not altered.
 */
@ApplicationScoped
public class FairnessReports {

    @Inject
    ClinicalFairness clinical;
    @Inject
    ReportStore store;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Inject
    @ConfigProperty(name = "clinloop.fairness.min-group-size", defaultValue = "11")
    int minGroupSize;

    /** ClinLoop's default: majority reference, tau 0.8, small cells (fewer than 11) suppressed, two intersections. */
    public AuditSettings clinicalSettings() {
        return new AuditSettings(0.8, ReferencePolicy.MAJORITY, Map.of(), 0.05, minGroupSize,
                List.of(List.of("race", "sex"), List.of("age_band", "sex")));
    }

    @Transactional
    public StoredReport run(ReportKind kind, Instant from, Instant to, Actor actor) {
        Map<String, Object> content = switch (kind) {
            case MODEL -> ReportFormats.json(clinical.model(from, to, clinicalSettings()));
            case HUMAN_LOOP -> humanLoopJson(clinical.humanLoop(from, to, clinicalSettings()));
            case TABLE -> throw new IllegalArgumentException("Expected MODEL or HUMAN_LOOP, found TABLE (upload a table instead).");
        };
        return store(kind, from, to, content, actor);
    }

    /** Audits an uploaded table and stores the report. */
    @Transactional
    public StoredReport auditTable(FairnessTable table, AuditSettings settings, Actor actor) {
        return store(ReportKind.TABLE, null, null, ReportFormats.json(FairnessAudit.audit(table, settings)), actor);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<StoredReport> get(String id) {
        return store.get(id);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<StoredReport> list(int limit) {
        return store.list(Math.max(1, Math.min(limit, 500)));
    }

    private StoredReport store(ReportKind kind, Instant from, Instant to, Map<String, Object> content, Actor actor) {
        String json = EntryCodec.canonicalDetail(content);
        String hash = Fingerprints.sha256Hex(json.getBytes(StandardCharsets.UTF_8));
        StoredReport report = new StoredReport(UUID.randomUUID().toString(), kind, store.nextVersion(kind),
                clock.instant(), actor.id(), from, to, hash, json);
        store.save(report);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("report", report.id());
        detail.put("kind", kind.name());
        detail.put("version", report.version());
        detail.put("from", String.valueOf(from));
        detail.put("to", String.valueOf(to));
        detail.put("contentHash", hash);
        audit.append(AuditEvent.of(AuditEventType.FAIRNESS_REPORTED, actor, null, detail));
        return report;
    }

    static Map<String, Object> humanLoopJson(HumanLoopReport r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("proposals", r.proposals());
        out.put("tests", r.test());
        Map<String, Object> rates = new LinkedHashMap<>();
        r.rates().forEach((name, report) -> rates.put(name, ReportFormats.json(report)));
        out.put("rates", rates);
        out.put("decisionTime", r.decisionTime());
        return out;
    }
}
