package org.clinloop.ingest;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.ProtocolLimits;
import org.clinloop.approval.Protocols;
import org.clinloop.approval.Regimen;
import org.clinloop.approval.Roles;
import org.clinloop.approval.TitrationPlans;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.clinloop.audit.Fingerprints;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.ingest.internal.MedicationRequestRow;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Timing;

/**
 * Prescriptions from the EHR ({@code MedicationRequest}, intent order). Each is kept as sent;
 * then the patient's newest active order of a titration protocol's drug, at a daily dose on that
 * protocol's ladder, becomes their regimen (unless ClinLoop changed the dose since). Orders of
 * drugs no protocol titrates are kept as context, and the sender is told so.
 */
@ApplicationScoped
public class Prescriptions {

    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";

    /** Intents that are orders (a proposal or plan is not a prescription). */
    private static final Set<String> ORDER_INTENTS = Set.of("order", "original-order", "reflex-order", "filler-order",
            "instance-order");

    /**
     * One tablet of a protocol drug, by RxNorm clinical drug (SCD) code.
     *
     * @param ingredient RxNorm ingredient code (a protocol ladder's drug)
     * @param strengthMg milligrams per tablet
     */
    record Product(String ingredient, BigDecimal strengthMg, String display) {
    }

    /** The clinical drugs of the protocols' ladders (RxNorm; lisinopril oral tablets). */
    static final Map<String, Product> PRODUCTS = Map.of(
            "311353", new Product("29046", new BigDecimal("2.5"), "lisinopril 2.5 MG Oral Tablet"),
            "311354", new Product("29046", new BigDecimal("5"), "lisinopril 5 MG Oral Tablet"),
            "314076", new Product("29046", new BigDecimal("10"), "lisinopril 10 MG Oral Tablet"),
            "314077", new Product("29046", new BigDecimal("20"), "lisinopril 20 MG Oral Tablet"),
            "205326", new Product("29046", new BigDecimal("30"), "lisinopril 30 MG Oral Tablet"),
            "197884", new Product("29046", new BigDecimal("40"), "lisinopril 40 MG Oral Tablet"));

    @Inject
    FhirStore store;
    @Inject
    PatientDirectory patients;
    @Inject
    TitrationPlans plans;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Inject
    ProfileCheck profiles;

    private final FhirContext fhir = FhirContext.forR4Cached();


    /**
     * Checks and stores one prescription; {@code prefix} is the element path prefix used in
     * problems (e.g. {@code Bundle.entry[3].resource.}), empty for a plain create.
     */
    /**
     * A stored prescription and the profile warnings found on it (under the caller's prefix),
     * which the sender is told about but which refuse nothing.
     */
    public record Stored(MedicationRequest order, List<InputProblem> warnings) {
        public Stored {
            warnings = List.copyOf(warnings);
        }
    }

    @Transactional
    public Stored store(MedicationRequest order, String prefix, Actor actor) {
        if (!actor.hasRole(Roles.EHR_SYSTEM) && !actor.hasRole(Actor.SYSTEM_ROLE)) {
            throw new AccessRefusedException("Expected an EHR system to send prescriptions, found " + actor.id() + ".");
        }
        List<InputProblem> problems = new ArrayList<>(ResourceLimits.check(order));
        String ref = order.getSubject().getReference();
        String patientId = ref != null && ref.startsWith("Patient/") ? ref.substring("Patient/".length()) : null;
        if (patientId == null || !patients.knows(patientId)) {
            problems.add(new InputProblem("MedicationRequest.subject", "not-found",
                    "expected a reference to a known Patient, found " + (ref == null ? "none" : ref)));
        }
        if (!order.hasStatus()) {
            problems.add(new InputProblem("MedicationRequest.status", "required", "expected a status, found none"));
        }
        String intent = order.hasIntent() ? order.getIntent().toCode() : null;
        if (intent == null || !ORDER_INTENTS.contains(intent)) {
            problems.add(new InputProblem("MedicationRequest.intent", "value",
                    "expected an order intent " + ORDER_INTENTS + " (proposals and plans are not prescriptions), found "
                            + intent));
        }
        if (!order.hasAuthoredOn() || order.getAuthoredOn() == null) {
            problems.add(new InputProblem("MedicationRequest.authoredOn", "required",
                    "expected when the order was signed, found none"));
        } else if (order.getAuthoredOn().toInstant().isAfter(clock.instant().plus(ObservationRules.CLOCK_SKEW))) {
            problems.add(new InputProblem("MedicationRequest.authoredOn", "value",
                    "expected a time no later than " + clock.instant().plus(ObservationRules.CLOCK_SKEW) + ", found "
                            + order.getAuthoredOnElement().getValueAsString()));
        }
        Coding rxnorm = rxNorm(order);
        if (!order.hasMedicationCodeableConcept() && !order.hasMedicationReference()) {
            problems.add(new InputProblem("MedicationRequest.medication", "required",
                    "expected medicationCodeableConcept with an RxNorm coding, found none"));
        }
        if (rxnorm != null) {
            ResourceLimits.requireLength("MedicationRequest.medicationCodeableConcept.coding.code", rxnorm.getCode(), 32,
                    problems);
        }
        String requester = requester(order.getRequester());
        ResourceLimits.requireLength("MedicationRequest.requester", requester, 400, problems);
        List<InputProblem> warnings = List.of();
        if (problems.isEmpty()) {
            ProfileCheck.ProfileReport profile = profiles.check(order);
            problems.addAll(profile.errors());
            warnings = InputProblem.under(prefix, profile.warnings());
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(InputProblem.under(prefix, problems));
        }
        Instant now = clock.instant();
        MedicationRequest stored = order.copy();
        String id = UUID.randomUUID().toString();
        stored.setId(id);
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        String json = fhir.newJsonParser().encodeResourceToString(stored);
        store.saveOrder(new MedicationRequestRow(id, patientId, order.getStatus().toCode(), intent,
                rxnorm == null ? null : rxnorm.getCode(), order.getAuthoredOn().toInstant(), requester, now, actor.id(),
                json));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("order", id);
        detail.put("status", order.getStatus().toCode());
        detail.put("rxnorm", CallerText.capped(String.valueOf(rxnorm == null ? null : rxnorm.getCode())));
        detail.put("authoredOn", order.getAuthoredOn().toInstant().toString());
        detail.put("requester", CallerText.capped(String.valueOf(requester)));
        detail.put("resourceHash", Fingerprints.sha256Hex(json.getBytes(StandardCharsets.UTF_8)));
        if (!warnings.isEmpty()) {
            detail.put("warnings", CallerText.capped(warnings.stream().map(w -> w.expression() + ": " + w.message()).toList(),
                    n -> CallerText.cutItems(n, "warnings")));
        }
        audit.append(AuditEvent.of(AuditEventType.PRESCRIPTION_RECEIVED, actor, patientId, detail));
        return new Stored(stored, warnings);
    }

    /** A stored prescription and what the sender should know about it (see {@link #notes}). */
    public record Accepted(MedicationRequest order, List<InputProblem> notes) {
        public Accepted {
            notes = List.copyOf(notes);
        }
    }

    /**
     * One prescription on its own (a plain create): stored, then the patient's regimen reconciled
     * with it, in one transaction; the notes say whether it set the regimen and why not.
     */
    @Transactional
    public Accepted accept(MedicationRequest order, Actor actor) {
        Stored kept = store(order, "", actor);
        MedicationRequest stored = kept.order();
        List<InputProblem> notes = new ArrayList<>(kept.warnings());
        notes.addAll(notes(stored, "MedicationRequest."));
        String patientId = stored.getSubject().getReference().substring("Patient/".length());
        reconcile(patientId, actor).filter(set -> set.order().equals(stored.getIdPart()))
                .ifPresent(set -> notes.add(set.note("MedicationRequest.")));
        return new Accepted(stored, notes);
    }

    /**
     * Where an order of a protocol drug lands on its protocol's ladder.
     *
     * @param protocol the protocol whose ladder is of the order's drug
     * @param dose     the order's daily dose, or why it has none
     * @param step     the ladder rung of that dose, if it is one
     */
    private record Placement(ProtocolLimits protocol, Dose dose, OptionalInt step) {
    }

    /** The placement of an order of RxNorm {@code code}; empty when no protocol titrates that drug. */
    private static Optional<Placement> place(MedicationRequest order, String code) {
        Product product = PRODUCTS.get(code);
        return Optional.ofNullable(product).flatMap(p -> Protocols.forIngredient(p.ingredient())).map(protocol -> {
            Dose dose = dailyDose(order, product);
            return new Placement(protocol, dose,
                    dose.problem() != null ? OptionalInt.empty() : protocol.ladder().stepOf(dose.mgPerDay()));
        });
    }

    /**
     * Where an order drafted in the EHR (not stored) would land on its protocol's ladder.
     *
     * @param protocol  the protocol whose ladder is of the order's drug
     * @param drug      the order's RxNorm clinical drug, as coded and displayed
     * @param mgPerDay  the daily dose, or null when the dosage gives none
     * @param step      the ladder rung of that dose, if it is one
     * @param problem   why there is no daily dose, or null
     */
    public record DraftPlacement(ProtocolLimits protocol, String drug, BigDecimal mgPerDay, OptionalInt step,
                                 String problem) {
    }

    /** The placement of a drafted order of a protocol drug; empty when no protocol titrates its drug. */
    public static Optional<DraftPlacement> placeDraft(MedicationRequest order) {
        Coding rxnorm = rxNorm(order);
        if (rxnorm == null) {
            return Optional.empty();
        }
        return place(order, rxnorm.getCode()).map(p -> new DraftPlacement(p.protocol(),
                rxnorm.getCode() + " (" + display(order, rxnorm) + ")", p.dose().mgPerDay(), p.step(),
                p.dose().problem()));
    }

    /** The RxNorm tablet of {@code ingredient} of strength {@code mg}, if the protocols' table has one. */
    public static Optional<Coding> tablet(String ingredient, BigDecimal mg) {
        return PRODUCTS.entrySet().stream()
                .filter(e -> e.getValue().ingredient().equals(ingredient) && e.getValue().strengthMg().compareTo(mg) == 0)
                .findFirst().map(e -> new Coding(RXNORM, e.getKey(), e.getValue().display()));
    }

    /** What the sender should know about a stored order: is it a drug ClinLoop titrates, and at which step. */
    public List<InputProblem> notes(MedicationRequest order, String prefix) {
        Coding rxnorm = rxNorm(order);
        if (rxnorm == null) {
            return List.of(new InputProblem(prefix + "medication", "informational",
                    "no RxNorm coding (" + RXNORM + "): kept as EHR context; no titration protocol applies"));
        }
        Optional<Placement> placed = place(order, rxnorm.getCode());
        if (placed.isEmpty()) {
            return List.of(new InputProblem(prefix + "medicationCodeableConcept", "informational",
                    "RxNorm " + rxnorm.getCode() + " (" + display(order, rxnorm) + ") is on no titration protocol: "
                            + "kept as EHR context; ClinLoop proposes no changes to it"));
        }
        Placement p = placed.get();
        if (p.dose().problem() != null) {
            return List.of(new InputProblem(prefix + "dosageInstruction", "informational", p.dose().problem()
                    + ": this order cannot set the " + p.protocol().protocol() + " regimen"));
        }
        if (p.step().isEmpty()) {
            return List.of(new InputProblem(prefix + "dosageInstruction", "informational", "daily dose "
                    + p.dose().mgPerDay().toPlainString() + " mg is not on the " + p.protocol().protocol() + " ladder "
                    + p.protocol().ladder().doses() + " mg: this order cannot set the regimen"));
        }
        return List.of();
    }

    /** The regimen an order set, e.g. "lisinopril 10 mg daily (hypertension-acei-v1 step 2)". */
    public record RegimenSet(String order, Regimen regimen, String description) {

        /** The note telling the sender of the order, at {@code prefix}, that it set the regimen. */
        public InputProblem note(String prefix) {
            return new InputProblem(prefix + "dosageInstruction", "informational",
                    "set the regimen of Patient/" + regimen.patientId() + ": " + description);
        }
    }

    /**
     * Sets the patient's regimen from their newest active order of a protocol drug, when its daily
     * dose is on the ladder, unless ClinLoop's record is newer. Returns the regimen set, if one was.
     * The newest order decides: when it gives no ladder dose, an older one does not stand in for it.
     * (Every stored order has an order intent: {@link #store} refuses the others.)
     */
    @Transactional
    public Optional<RegimenSet> reconcile(String patientId, Actor actor) {
        Optional<MedicationRequestRow> newest = store.newestActiveOrder(patientId, PRODUCTS.keySet());
        if (newest.isEmpty()) {
            return Optional.empty();
        }
        MedicationRequestRow row = newest.get();
        MedicationRequest order = fhir.newJsonParser().parseResource(MedicationRequest.class, row.resourceJson());
        Optional<Placement> placed = place(order, row.rxNorm()).filter(p -> p.step().isPresent());
        if (placed.isEmpty()) {
            return Optional.empty();
        }
        ProtocolLimits protocol = placed.get().protocol();
        int step = placed.get().step().getAsInt();
        String description = protocol.ladder().describe(step) + " (" + protocol.protocol() + " step " + step + ")";
        return plans.recordPrescription(patientId, protocol.protocol(), step, row.authoredOn(), row.id(),
                prescriber(row, actor), actor).map(r -> new RegimenSet(row.id(), r, description));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<MedicationRequest> read(String id, Actor actor) {
        return store.order(id).map(row -> {
            patients.requireReader(actor, row.patientId());
            return fhir.newJsonParser().parseResource(MedicationRequest.class, row.resourceJson());
        });
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MedicationRequest> ofPatient(String patientId, Actor actor, int limit) {
        if (!patients.knows(patientId)) {
            throw new UnknownResourceException("No Patient/" + patientId + ".");
        }
        patients.requireReader(actor, patientId);
        return store.ordersOf(patientId, limit).stream()
                .map(r -> fhir.newJsonParser().parseResource(MedicationRequest.class, r.resourceJson())).toList();
    }

    /** A daily dose in mg, or why there is none. */
    record Dose(BigDecimal mgPerDay, String problem) {
        static Dose unknown(String why) {
            return new Dose(null, why);
        }
    }

    /**
     * Milligrams a day: tablet strength × tablets a dose × doses a day, from the first dosage
     * instruction. "As needed", a missing dose or timing, or several instructions give no daily dose.
     */
    static Dose dailyDose(MedicationRequest order, Product product) {
        if (order.getDosageInstruction().isEmpty()) {
            return Dose.unknown("no dosageInstruction");
        }
        if (order.getDosageInstruction().size() > 1) {
            return Dose.unknown("expected one dosageInstruction, found " + order.getDosageInstruction().size());
        }
        Dosage d = order.getDosageInstructionFirstRep();
        if (d.hasAsNeededBooleanType() && d.getAsNeededBooleanType().booleanValue() || d.hasAsNeededCodeableConcept()) {
            return Dose.unknown("taken as needed, not a fixed daily dose");
        }
        if (!d.hasDoseAndRate() || !d.getDoseAndRateFirstRep().hasDoseQuantity()) {
            return Dose.unknown("no doseAndRate.doseQuantity");
        }
        Quantity q = d.getDoseAndRateFirstRep().getDoseQuantity();
        if (q.getValue() == null) {
            return Dose.unknown("no doseQuantity.value");
        }
        BigDecimal perDose;
        String unit = q.hasCode() ? q.getCode() : q.getUnit();
        if (unit == null || unit.isBlank() || "1".equals(unit) || "{tbl}".equals(unit) || "TAB".equalsIgnoreCase(unit)
                || "tablet".equalsIgnoreCase(unit)) {
            perDose = q.getValue().multiply(product.strengthMg());
        } else if ("mg".equals(unit)) {
            perDose = q.getValue();
        } else {
            return Dose.unknown("expected doseQuantity in tablets or mg, found " + unit);
        }
        Timing.TimingRepeatComponent r = d.getTiming().getRepeat();
        if (!d.hasTiming() || !r.hasFrequency() || !r.hasPeriod() || !r.hasPeriodUnit()) {
            return Dose.unknown("no timing.repeat frequency/period/periodUnit");
        }
        BigDecimal periodsPerDay = switch (r.getPeriodUnit()) {
            case D -> BigDecimal.ONE;
            case H -> BigDecimal.valueOf(24);
            case WK -> BigDecimal.ONE.divide(BigDecimal.valueOf(7), 10, RoundingMode.HALF_EVEN);
            default -> null;
        };
        if (periodsPerDay == null || r.getPeriod().signum() <= 0) {
            return Dose.unknown("expected a period in h, d or wk, found " + r.getPeriod() + " " + r.getPeriodUnit().toCode());
        }
        BigDecimal perDay = perDose.multiply(BigDecimal.valueOf(r.getFrequency())).multiply(periodsPerDay)
                .divide(r.getPeriod(), 4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return new Dose(perDay, null);
    }

    static Coding rxNorm(MedicationRequest order) {
        if (!order.hasMedicationCodeableConcept()) {
            return null;
        }
        for (Coding c : order.getMedicationCodeableConcept().getCoding()) {
            if (RXNORM.equals(c.getSystem()) && c.hasCode()) {
                return c;
            }
        }
        return null;
    }

    private static String display(MedicationRequest order, Coding c) {
        return c.hasDisplay() ? c.getDisplay() : order.getMedicationCodeableConcept().getText();
    }

    /** Who set the regimen: the order's requester (regimen.set_by holds 200 characters), else the sender. */
    private static String prescriber(MedicationRequestRow row, Actor sender) {
        String who = row.requester() == null ? sender.id() : row.requester();
        return who.length() <= 200 ? who : who.substring(0, 199) + "…";
    }

    /** The requester as one string: its reference, else its identifier, and its display. */
    static String requester(Reference r) {
        if (r == null || r.isEmpty()) {
            return null;
        }
        String who = r.hasReference() ? r.getReference()
                : r.hasIdentifier() ? r.getIdentifier().getSystem() + "|" + r.getIdentifier().getValue() : null;
        return who == null ? r.getDisplay() : r.hasDisplay() ? who + " (" + r.getDisplay() + ")" : who;
    }

}
