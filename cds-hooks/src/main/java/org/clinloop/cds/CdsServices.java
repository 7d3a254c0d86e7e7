package org.clinloop.cds;

import ca.uhn.fhir.context.FhirContext;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.clinloop.approval.PointOfCare;
import org.clinloop.approval.ProposalExplanations;
import org.clinloop.approval.ProtocolLimits;
import org.clinloop.approval.Protocols;
import org.clinloop.approval.ReadingHistory;
import org.clinloop.approval.RejectionReason;
import org.clinloop.approval.RuleFiring;
import org.clinloop.approval.SafetyAlert;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditLog;
import org.clinloop.cds.internal.CardLedger;
import org.clinloop.cds.internal.JpaJtiLedger;
import org.clinloop.cds.internal.JwksFetcher;
import org.clinloop.ingest.PatientDirectory;
import org.clinloop.ingest.Prescriptions;
import org.clinloop.recommendation.ClinicianFeedback;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;

/**
 * ClinLoop's CDS Hooks 2.0 services: {@code clinloop-patient-view} (blood pressure against the
 * goal, the open proposal with its explanation as a suggestion, open alerts) and
 * {@code clinloop-order-sign} (a drafted antihypertensive order checked as a clinician's
 * modification is), with their feedback. Every call is audited ({@link CdsHookCalled},
 * {@link CdsFeedbackReceived}). The edge verifies the EHR's JWT first ({@link #authenticate}).
 */
@ApplicationScoped
public class CdsServices {

    public static final String PATIENT_VIEW = "clinloop-patient-view";
    public static final String ORDER_SIGN = "clinloop-order-sign";
    /** The code system of the override reasons offered on a proposal card (ClinLoop's rejection reasons). */
    public static final String OVERRIDE_REASONS = "https://clinloop.org/fhir/CodeSystem/rejection-reason";
    static final Map<String, String> PATIENT_VIEW_PREFETCH = orderedMap(
            "patient", "Patient/{{context.patientId}}",
            "bloodPressure", "Observation?patient={{context.patientId}}&code=http://loinc.org|85354-9&_sort=-date&_count=50",
            "medications", "MedicationRequest?patient={{context.patientId}}&status=active");
    static final Map<String, String> ORDER_SIGN_PREFETCH = orderedMap("patient", "Patient/{{context.patientId}}");
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final int MAX_ALERT_CARDS = 5;

    @Inject
    EhrRegistry registry;
    @Inject
    JwksFetcher keys;
    @Inject
    JpaJtiLedger ledger;
    @Inject
    CardLedger cards;
    @Inject
    PointOfCare pointOfCare;
    @Inject
    PatientDirectory patients;
    @Inject
    ReadingHistory readings;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;

    private CdsTokenVerifier verifier;

    @PostConstruct
    void init() {
        verifier = new CdsTokenVerifier(registry::byIssuer, keys, ledger, clock);
    }

    public List<CdsServiceDescription> discovery() {
        return List.of(
                new CdsServiceDescription("patient-view", "ClinLoop blood-pressure titration",
                        "Blood pressure against the patient's target, ClinLoop's open dose proposal with its "
                                + "explanation (as a suggested MedicationRequest), and open safety alerts.",
                        PATIENT_VIEW, PATIENT_VIEW_PREFETCH, "Requires the patient to be enrolled in ClinLoop."),
                new CdsServiceDescription("order-sign", "ClinLoop antihypertensive order check",
                        "Checks a drafted antihypertensive MedicationRequest against the patient's hard limits, "
                                + "clinician-signed bounds and ClinLoop's safety rules: critical when the rules "
                                + "would block it, warning when they would send it for review.",
                        ORDER_SIGN, ORDER_SIGN_PREFETCH, "Requires the patient to be enrolled in ClinLoop."));
    }

    /**
     * The EHR whose JWT signed this call to {@code serviceUrl}.
     *
     * @throws TokenRefusedException saying what was wrong (answered 401)
     */
    public CdsCaller authenticate(String authorization, String serviceUrl) {
        return verifier.verify(authorization, serviceUrl);
    }

    /** Whether {@code id} is one of the services. */
    public boolean offers(String id) {
        return PATIENT_VIEW.equals(id) || ORDER_SIGN.equals(id);
    }

    /**
     * Answers a call to service {@code id} with its cards, and audits it.
     *
     * @param patientPage the portal's page of a patient, with {@code {id}} for the patient's id
     */
    @Transactional
    public List<CdsCard> call(String id, CdsRequest request, CdsCaller caller, String patientPage) {
        String expectedHook = PATIENT_VIEW.equals(id) ? "patient-view" : ORDER_SIGN.equals(id) ? "order-sign" : null;
        if (expectedHook == null) {
            throw new InvalidCdsRequestException("expected a service of " + List.of(PATIENT_VIEW, ORDER_SIGN) + ", found " + id);
        }
        if (!expectedHook.equals(request.hook())) {
            throw new InvalidCdsRequestException("expected hook " + expectedHook + " for service " + id + ", found "
                    + request.hook());
        }
        String patientId = request.patientId();
        Actor ehr = caller.actor();
        CdsCard.Source source = new CdsCard.Source("ClinLoop", null, null);
        List<CdsCard> out = new ArrayList<>();
        List<String> prefetched = new ArrayList<>();
        List<String> fetched = new ArrayList<>();
        List<String> rules = new ArrayList<>();
        String rulesVersion = null;
        if (!patients.knows(patientId)) {
            if (PATIENT_VIEW.equals(id)) {
                out.add(CdsCard.of(UUID.randomUUID().toString(), CdsCard.INFO, "Not enrolled in ClinLoop",
                        "Patient/" + patientId + " is not a ClinLoop patient: no proposals, bounds or alerts.", source));
            }
        } else if (PATIENT_VIEW.equals(id)) {
            PrefetchResolver.Gathered data = PrefetchResolver.gather(request, caller.ehr(), PATIENT_VIEW_PREFETCH, patientId);
            prefetched.addAll(data.prefetched());
            fetched.addAll(data.fetched());
            requireSamePatient(data.resources().get("patient"), patientId);
            patientView(patientId, ehr, caller, data, source, patientPage, out);
        } else {
            rulesVersion = orderSign(patientId, request, ehr, source, out, rules);
        }
        CdsHookCalled record = new CdsHookCalled(id, request.hook(), request.hookInstance(), caller.jti(), prefetched,
                fetched, out.stream().map(c -> c.indicator() + ": " + c.summary()).toList(), rules, rulesVersion);
        audit.append(AuditEvent.of(CdsHookCalled.TYPE, ehr, patientId, record.toDetail()));
        return out;
    }

    private void patientView(String patientId, Actor ehr, CdsCaller caller, PrefetchResolver.Gathered data,
                             CdsCard.Source source, String patientPage, List<CdsCard> out) {
        PointOfCare.Snapshot snapshot = pointOfCare.snapshot(patientId, ehr);
        IBaseResource bp = data.resources().get("bloodPressure");
        List<BloodPressureStatus.Reading> seen;
        String from;
        if (bp != null) {
            seen = BloodPressureStatus.readings(bp);
            from = data.prefetched().contains("bloodPressure") ? "the EHR's prefetch" : "the EHR's FHIR server";
        } else {
            Instant now = clock.instant();
            seen = readings.between(patientId, now.minus(Duration.ofDays(30)), now).stream()
                    .map(r -> new BloodPressureStatus.Reading(r.effective(), r.systolic(), r.diastolic())).toList();
            from = "ClinLoop's readings of the last 30 days (the EHR sent none: "
                    + data.missing().getOrDefault("bloodPressure", "not asked") + ")";
        }
        out.add(BloodPressureStatus.card(UUID.randomUUID().toString(), seen, snapshot.goal(), from, source));
        if (snapshot.openTask() != null) {
            out.add(proposalCard(snapshot, caller, source, patientPage));
        }
        for (SafetyAlert a : snapshot.openAlerts().stream().limit(MAX_ALERT_CARDS).toList()) {
            out.add(CdsCard.of(UUID.randomUUID().toString(), "high".equals(a.severity()) ? CdsCard.CRITICAL
                    : CdsCard.WARNING, "Open alert: " + a.code(), a.detail() + " (raised " + a.createdAt()
                    + (a.occurrences() > 1 ? ", " + a.occurrences() + " times" : "") + ", not yet acknowledged)", source));
        }
    }

    private CdsCard proposalCard(PointOfCare.Snapshot snapshot, CdsCaller caller, CdsCard.Source source,
                                 String patientPage) {
        var task = snapshot.openTask();
        ProposalExplanations.Explained e = snapshot.explanation();
        ProtocolLimits limits = Protocols.require(snapshot.regimen() == null ? ProtocolLimits.HYPERTENSION_ACEI.protocol()
                : snapshot.regimen().protocol());
        String from = limits.ladder().contains(task.fromStep()) ? limits.ladder().describe(task.fromStep()) : "step " + task.fromStep();
        String to = limits.ladder().contains(task.toStep()) ? limits.ladder().describe(task.toStep()) : "step " + task.toStep();
        StringBuilder detail = new StringBuilder();
        detail.append("**").append(task.direction()).append("**: ").append(from).append(" → ").append(to)
                .append(String.format(Locale.ROOT, " (probability %.2f, model %s).%n%n", task.probability(), task.modelId()));
        detail.append(task.rationale()).append("\n\n");
        if (!task.reasons().isEmpty()) {
            detail.append("Waiting for a clinician because: ").append(String.join("; ", task.reasons())).append(".\n\n");
        }
        if (e != null && e.recorded()) {
            detail.append("Explanation (").append(e.method()).append("): ");
            detail.append(String.join(", ", e.contributions().stream().limit(4).map(c -> String.format(Locale.ROOT,
                    "%s = %s (%+.2f)", c.feature(), c.value() == null ? "missing" : String.format(Locale.ROOT, "%.1f",
                            c.value()), c.contribution())).toList()));
            detail.append(".\n\nRules ").append(e.rulesVersion()).append(", bounds v").append(e.boundsVersion())
                    .append(": ").append(String.join("; ", e.rulesFired().stream()
                            .map(f -> f.rule() + " → " + f.verdict()).toList())).append('.');
        }
        String uuid = UUID.randomUUID().toString();
        List<CdsCard.Suggestion> suggestions = null;
        if (limits.ladder().contains(task.toStep()) && task.toStep() != task.fromStep()) {
            suggestions = List.of(new CdsCard.Suggestion("Order " + to, UUID.randomUUID().toString(), true,
                    List.of(new CdsCard.Action("create", "Order " + to + " (ClinLoop proposal " + task.proposalId() + ")",
                            suggestedOrder(task.patientId(), limits, task.toStep(), task.proposalId())))));
        }
        List<CdsCard.Coding> reasons = Arrays.stream(RejectionReason.values()).map(r -> new CdsCard.Coding(
                OVERRIDE_REASONS, r.name(), r.name().toLowerCase(Locale.ROOT).replace('_', ' '))).toList();
        String page = patientPage.replace("{id}", task.patientId());
        CdsCard card = new CdsCard(uuid, "ClinLoop proposes " + task.direction().toLowerCase(Locale.ROOT) + ": " + to,
                detail.toString(), "STAT".equals(task.priority().name()) ? CdsCard.CRITICAL
                : "URGENT".equals(task.priority().name()) ? CdsCard.WARNING : CdsCard.INFO, source, suggestions,
                suggestions == null ? null : "at-most-one", reasons,
                List.of(new CdsCard.Link("Open the patient in ClinLoop", page, "absolute")));
        cards.issued(new CardLedger.IssuedCard(uuid, PATIENT_VIEW, caller.ehr().issuer(), task.patientId(),
                task.proposalId()), clock.instant());
        return card;
    }

    /** The MedicationRequest a proposal suggests: one tablet of the new dose daily, as a draft order. */
    static JsonObject suggestedOrder(String patientId, ProtocolLimits limits, int step, String proposalId) {
        BigDecimal mg = limits.ladder().dose(step);
        MedicationRequest order = new MedicationRequest();
        order.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        order.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        order.setSubject(new Reference("Patient/" + patientId));
        Optional<org.hl7.fhir.r4.model.Coding> tablet = Prescriptions.tablet(limits.ladder().rxNormCode(), mg);
        Dosage dosage = new Dosage().setText(limits.ladder().describe(step));
        dosage.setTiming(new Timing().setRepeat(new Timing.TimingRepeatComponent().setFrequency(1)
                .setPeriod(1).setPeriodUnit(Timing.UnitsOfTime.D)));
        if (tablet.isPresent()) {
            order.setMedication(new CodeableConcept().addCoding(tablet.get()).setText(tablet.get().getDisplay()));
            dosage.addDoseAndRate().setDose(new Quantity().setValue(1).setUnit("tablet")
                    .setSystem("http://unitsofmeasure.org").setCode("{tbl}"));
        } else {
            order.setMedication(new CodeableConcept().addCoding(new Coding(Prescriptions.RXNORM,
                    limits.ladder().rxNormCode(), limits.ladder().drug())).setText(limits.ladder().drug()));
            dosage.addDoseAndRate().setDose(new Quantity().setValue(mg).setUnit("mg")
                    .setSystem("http://unitsofmeasure.org").setCode("mg"));
        }
        order.addDosageInstruction(dosage);
        order.addNote().setText("Proposed by ClinLoop (proposal " + proposalId + ").");
        String json = FHIR.newJsonParser().encodeResourceToString(order);
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    /** Checks each drafted order of a protocol drug; returns the rule set's version when rules ran. */
    private String orderSign(String patientId, CdsRequest request, Actor ehr, CdsCard.Source source, List<CdsCard> out,
                             List<String> rules) {
        JsonValue drafts = request.context().get("draftOrders");
        if (!(drafts instanceof JsonObject)) {
            throw new InvalidCdsRequestException("expected context.draftOrders as a FHIR Bundle, found "
                    + (drafts == null ? "none" : drafts.getValueType()));
        }
        IBaseResource parsed = PrefetchResolver.parse(drafts.toString(), "context.draftOrders");
        if (!(parsed instanceof Bundle bundle)) {
            throw new InvalidCdsRequestException("expected context.draftOrders as a FHIR Bundle, found "
                    + parsed.fhirType());
        }
        String rulesVersion = null;
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (!(entry.getResource() instanceof MedicationRequest order)) {
                continue;
            }
            Optional<Prescriptions.DraftPlacement> placed = Prescriptions.placeDraft(order);
            if (placed.isEmpty()) {
                continue;
            }
            Prescriptions.DraftPlacement p = placed.get();
            String what = p.drug() + (p.mgPerDay() == null ? "" : " " + p.mgPerDay().toPlainString() + " mg daily");
            OptionalInt step = stepOf(p);
            if (step.isEmpty()) {
                out.add(CdsCard.of(UUID.randomUUID().toString(), CdsCard.WARNING, "ClinLoop could not check " + what,
                        (p.problem() != null ? p.problem() : "the daily dose is not on the " + p.protocol().protocol()
                                + " ladder " + p.protocol().ladder().doses() + " mg") + ".", source));
                continue;
            }
            PointOfCare.OrderCheck check = pointOfCare.checkOrder(patientId, step.getAsInt(), ehr);
            for (RuleFiring f : check.fired()) {
                rules.add(f.rule() + ": " + f.verdict());
            }
            if (check.rulesVersion() != null) {
                rulesVersion = check.rulesVersion();
            }
            String reasons = String.join("\n\n", check.reasons().stream().map(r -> "* " + r).toList());
            switch (check.verdict()) {
                case BLOCKED -> out.add(CdsCard.of(UUID.randomUUID().toString(), CdsCard.CRITICAL,
                        "Blocked by ClinLoop's rule " + ruleName(check.reasons().get(0)) + ": " + what,
                        "ClinLoop would refuse this dose for this patient, as it would a clinician's modification:\n\n"
                                + reasons + "\n\nRules " + check.rulesVersion() + ", bounds v" + check.boundsVersion()
                                + ".", source));
                case NEEDS_REVIEW -> out.add(CdsCard.of(UUID.randomUUID().toString(), CdsCard.WARNING,
                        "Review: ClinLoop would queue " + what + " for a clinician",
                        "ClinLoop's rules would send this change to a clinician:\n\n" + reasons + "\n\nRules "
                                + check.rulesVersion() + ", bounds v" + check.boundsVersion() + ".", source));
                case NOT_CHECKED -> out.add(CdsCard.of(UUID.randomUUID().toString(), CdsCard.INFO,
                        "ClinLoop could not check " + what, reasons, source));
                case WITHIN_BOUNDS -> {
                    // Within the hard limits and the bounds, nothing to review: no card.
                }
            }
        }
        return rulesVersion;
    }

    /** The ladder step of a drafted dose; a dose above (below) the ladder is one step past its end. */
    private static OptionalInt stepOf(Prescriptions.DraftPlacement p) {
        if (p.step().isPresent() || p.mgPerDay() == null) {
            return p.step();
        }
        List<BigDecimal> doses = p.protocol().ladder().doses();
        if (p.mgPerDay().compareTo(doses.get(doses.size() - 1)) > 0) {
            return OptionalInt.of(doses.size());
        }
        if (p.mgPerDay().compareTo(doses.get(0)) < 0) {
            return OptionalInt.of(-1);
        }
        return OptionalInt.empty();
    }

    private static String ruleName(String reason) {
        int colon = reason.indexOf(": ");
        return colon > 0 ? "\"" + reason.substring(0, colon) + "\"" : "(hard limits)";
    }

    private static void requireSamePatient(IBaseResource patient, String patientId) {
        if (patient != null && (!(patient instanceof Patient p) || !patientId.equals(p.getIdElement().getIdPart()))) {
            throw new InvalidCdsRequestException("expected prefetch.patient to be Patient/" + patientId + ", found "
                    + patient.fhirType() + "/" + patient.getIdElement().getIdPart());
        }
    }

    /**
     * Records an EHR's feedback on cards of service {@code id}: each card must be one issued to this
     * EHR by this service; accepted or overridden (with a coded reason) becomes clinician feedback
     * on the card's proposal, and is audited.
     *
     * @throws org.clinloop.approval.UnknownResourceException for a card not issued to this EHR (404)
     * @throws org.clinloop.approval.TaskConflictException when the proposal was decided since (409)
     */
    @Transactional
    public int feedback(String id, JsonObject body, CdsCaller caller) {
        if (!offers(id)) {
            throw new InvalidCdsRequestException("expected a service of " + List.of(PATIENT_VIEW, ORDER_SIGN) + ", found " + id);
        }
        JsonValue items = body.get("feedback");
        if (!(items instanceof JsonArray list) || list.isEmpty()) {
            throw new InvalidCdsRequestException("expected feedback as a non-empty array, found "
                    + (items == null ? "none" : items.getValueType()));
        }
        int recorded = 0;
        for (int i = 0; i < list.size(); i++) {
            String at = "feedback[" + i + "]";
            if (!(list.get(i) instanceof JsonObject item)) {
                throw new InvalidCdsRequestException("expected " + at + " as an object, found " + list.get(i).getValueType());
            }
            String uuid = string(item, "card", at);
            String outcome = string(item, "outcome", at);
            CardLedger.IssuedCard card = cards.card(uuid)
                    .filter(c -> c.issuer().equals(caller.ehr().issuer()) && c.serviceId().equals(id))
                    .orElseThrow(() -> new org.clinloop.approval.UnknownResourceException("No card " + uuid
                            + " was issued to " + caller.ehr().issuer() + " by " + id + "."));
            PointOfCare.EhrOutcome result = switch (outcome) {
                case "accepted" -> PointOfCare.EhrOutcome.ACCEPTED;
                case "overridden" -> PointOfCare.EhrOutcome.OVERRIDDEN;
                default -> throw new InvalidCdsRequestException("expected " + at + ".outcome accepted or overridden, found "
                        + outcome);
            };
            RejectionReason reason = null;
            String comment = null;
            if (item.get("overrideReason") instanceof JsonObject override) {
                if (override.get("reason") instanceof JsonObject coding && coding.get("code") instanceof JsonString code) {
                    reason = Arrays.stream(RejectionReason.values()).filter(r -> r.name().equals(code.getString()))
                            .findFirst().orElseThrow(() -> new InvalidCdsRequestException("expected " + at
                                    + ".overrideReason.reason.code one of " + Arrays.toString(RejectionReason.values())
                                    + " (" + OVERRIDE_REASONS + "), found " + code.getString()));
                }
                if (override.get("userComment") instanceof JsonString c) {
                    comment = c.getString();
                }
            }
            ClinicianFeedback kept = pointOfCare.recordOutcome(card.proposalId(), result, reason, comment,
                    caller.actor());
            CdsFeedbackReceived record = new CdsFeedbackReceived(id, uuid, card.proposalId(), kept.modelId(), outcome,
                    kept.reason(), comment, kept.label() == null ? null : kept.label().name());
            audit.append(AuditEvent.of(CdsFeedbackReceived.TYPE, caller.actor(), card.patientId(), record.toDetail()));
            recorded++;
        }
        return recorded;
    }

    private static String string(JsonObject o, String key, String at) {
        if (!(o.get(key) instanceof JsonString s) || s.getString().isBlank()) {
            throw new InvalidCdsRequestException("expected " + at + "." + key + " as text, found "
                    + (o.get(key) == null ? "none" : o.get(key).getValueType()));
        }
        return s.getString();
    }

    private static Map<String, String> orderedMap(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
