package org.clinloop.ingest;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.ReadingRecorded;
import org.clinloop.approval.Roles;
import org.clinloop.approval.TitrationWorkflow;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.clinloop.audit.Fingerprints;
import org.clinloop.ingest.internal.DeviceRow;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.ingest.internal.ObservationRow;
import org.clinloop.recommendation.BloodPressureReading;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;

/**
 * Accepts Observations: check, store, record, and for a blood-pressure reading run the immediate
 * safety checks and queue the patient for a decision, in one transaction. A caller told
 * "accepted" can rely on the observation, its alerts, its place in the decision queue and their
 * audit entries being durable (the decision itself follows from the {@code DecisionQueue}); a
 * refused one leaves nothing behind but the record of its refusal.
 * An Observation carrying an identifier already stored for its patient is not stored again
 * (conditional create); identifiers are unique per patient.
 */
@ApplicationScoped
public class ObservationIntake {

    /** How far back the workflow sees a patient's readings. */
    static final Duration HISTORY = Duration.ofDays(30);

    @Inject
    FhirStore store;
    @Inject
    PatientDirectory patients;
    @Inject
    TitrationWorkflow workflow;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Inject
    ProfileCheck profiles;

    private final FhirContext fhir = FhirContext.forR4Cached();

    /**
     * A stored Observation and what became of it.
     *
     * @param observation the stored resource
     * @param receipt     what ingest did toward a decision (blood pressure only: alerts raised, queued for a
     *                    decision, an instruction for the patient), or null
     * @param created     false when an Observation of the same patient with the same identifier was already stored
     * @param warnings    what the profile check found short of an error (an unknown meta.profile …)
     */
    public record Accepted(Observation observation, TitrationWorkflow.Receipt receipt, boolean created,
                           List<InputProblem> warnings) {
        public Accepted {
            warnings = List.copyOf(warnings);
        }
    }

    @Transactional
    public Accepted accept(Observation observation, Actor actor) {
        Optional<Observation> existing = existing(observation, actor);
        if (existing.isPresent()) {
            return new Accepted(existing.get(), null, false, List.of());
        }
        Checked checked = check(observation, actor, "");
        return store(checked, actor);
    }

    /**
     * Accepts several observations atomically (a FHIR transaction): every one is checked before
     * any is stored, then they are stored and decided in order of when they were measured.
     */
    @Transactional
    public List<Accepted> acceptAll(List<Observation> observations, List<String> expressionPrefixes, Actor actor) {
        List<Checked> checked = new ArrayList<>();
        List<InputProblem> problems = new ArrayList<>();
        Map<Integer, Accepted> done = new LinkedHashMap<>();
        for (int i = 0; i < observations.size(); i++) {
            Optional<Observation> existing = existing(observations.get(i), actor);
            if (existing.isPresent()) {
                done.put(i, new Accepted(existing.get(), null, false, List.of()));
                continue;
            }
            try {
                checked.add(check(observations.get(i), actor, expressionPrefixes.get(i)).at(i));
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        checked.sort(Comparator.comparing(c -> c.effective()));
        for (Checked c : checked) {
            done.put(c.index, store(c, actor));
            // Each reading's rows are written; forget them so the next reading's flushes do not
            // dirty-check every row of the bundle again (quadratic in bundle size otherwise).
            store.settle();
        }
        List<Accepted> out = new ArrayList<>();
        for (int i = 0; i < observations.size(); i++) {
            out.add(done.get(i));
        }
        return out;
    }

    /** Records a refusal in its own transaction (the refused request's transaction rolled back). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRejection(Actor actor, String patientId, List<InputProblem> problems) {
        List<Map<String, String>> issues = new ArrayList<>();
        for (InputProblem p : problems) {
            issues.add(Map.of("expression", String.valueOf(p.expression()), "code", p.code(), "message", p.message()));
        }
        // The refusal's answer lists every problem; the immutable log keeps the first few, each as
        // InputProblem bounds it (expression 200, message 400 characters, a cut one marked).
        audit.append(AuditEvent.of(AuditEventType.OBSERVATION_REJECTED, actor,
                patientId != null && patients.knows(patientId) ? patientId : null, Map.of("problems",
                        CallerText.capped(issues, n -> Map.of("expression", "null", "code", "informational",
                                "message", CallerText.cutItems(n, "problems"))))));
    }

    /**
     * The stored reading that {@code observation} retries: the one of its subject patient with the
     * same identifier, if the sender may submit readings for that patient.
     *
     * <p>Identifiers are unique per patient, so the lookup never crosses patients: the same
     * identifier stored for another patient is not a match, and the reading is stored as its own
     * patient's (201). ClinLoop stores it rather than answering 409 because a 409 would still let one
     * patient block another's reading by pre-registering its gateway identifier, and would itself
     * say that the identifier is in use elsewhere. A sender who may not submit for the subject gets
     * no match either (not a refusal naming the identifier): {@code check} then refuses the reading
     * with the same 403 whether or not such a reading is stored.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Observation> existing(Observation observation, Actor actor) {
        Identifier id = identifier(observation);
        String patientId = ObservationRules.subjectPatientId(observation);
        if (id == null || patientId == null || !maySubmit(actor, patientId)) {
            return Optional.empty();
        }
        return store.observationByIdentifier(patientId, id.getSystem(), id.getValue()).map(this::parse);
    }

    /**
     * @param observation what will be stored: the sender's resource with ClinLoop's source tag
     * @param source      who asserts it, from the sender's token
     */
    private record Checked(Observation observation, String id, ObservationRules.Checked result, int index,
                           List<InputProblem> warnings, ObservationSource source) {
        Checked at(int i) {
            return new Checked(observation, id, result, i, warnings, source);
        }

        Instant effective() {
            return result.reading() != null ? result.reading().effective() : result.measurement().effective();
        }
    }

    private Checked check(Observation observation, Actor actor, String prefix) {
        String id = UUID.randomUUID().toString();
        ObservationRules.Checked result = ObservationRules.check(observation, id, clock.instant());
        // Who asserts it is settled first: a kind this sender may not assert is refused whatever else is wrong.
        Optional<ObservationSource> source = result.patientId() == null ? Optional.empty()
                : ObservationSource.of(actor, result.patientId(), patients);
        if (source.isPresent() && result.kind() != null) {
            Optional<InputProblem> refused = refusal(result.kind(), source.get(), actor);
            if (refused.isPresent()) {
                throw new AssertionRefusedException(InputProblem.under(prefix, List.of(refused.get())));
            }
        }
        List<InputProblem> problems = new ArrayList<>(result.problems());
        if (result.patientId() != null && !patients.knows(result.patientId())) {
            problems.add(new InputProblem("Observation.subject", "not-found",
                    "expected a reference to a known Patient, found Patient/" + result.patientId()));
        }
        if (observation.hasDevice() && result.patientId() != null) {
            String ref = observation.getDevice().getReference();
            Optional<DeviceRow> device = ref != null && ref.startsWith("Device/")
                    ? store.device(ref.substring("Device/".length())) : Optional.empty();
            if (ref != null && device.isEmpty()) {
                problems.add(new InputProblem("Observation.device", "not-found",
                        "expected a reference to a registered Device, found " + ref));
            } else if (device.isPresent() && !result.patientId().equals(device.get().patientId())) {
                problems.add(new InputProblem("Observation.device", "business-rule",
                        "expected a device of Patient/" + result.patientId() + ", found " + ref + " of Patient/"
                                + device.get().patientId()));
            }
        }
        Identifier ident = identifier(observation);
        if (ident != null) {
            ResourceLimits.requireLength("Observation.identifier.value", ident.getValue(), 200, problems);
            ResourceLimits.requireLength("Observation.identifier.system", ident.getSystem(), 200, problems);
        }
        List<InputProblem> limits = ResourceLimits.check(observation);
        problems.addAll(limits);
        List<InputProblem> warnings = new ArrayList<>();
        if (limits.isEmpty()) {
            boolean rulesPassed = problems.isEmpty();
            ProfileCheck.ProfileReport profile = profiles.check(observation);
            warnings.addAll(profile.warnings());
            for (InputProblem p : profile.errors()) {
                if (ProfileCheck.repeats(p, problems)) {
                    continue; // ObservationRules said it first, in ClinLoop's words
                }
                if (rulesPassed && isUnitOfAcceptedQuantity(p)) {
                    // ObservationRules checked the UCUM code and converted the value (kPa → mm[Hg]):
                    // the vital-signs profile's fixed unit is met by what ClinLoop stores.
                    warnings.add(new InputProblem(p.expression(), p.code(), p.message()
                            + " (accepted: ClinLoop checked the UCUM unit and stores the value in its canonical unit)"));
                } else {
                    problems.add(p);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(InputProblem.under(prefix, problems));
        }
        requireSubmitter(actor, result.patientId());
        ObservationSource from = source.orElseThrow(() -> new AccessRefusedException(actor.id()
                + " may not submit or see readings of patient " + result.patientId() + "."));
        return new Checked(marked(observation, from), id, result, 0, InputProblem.under(prefix, warnings), from);
    }

    /**
     * Why {@code source} may not assert an observation of {@code kind}, or empty when it may
     * ({@link ObservationKind#assertableBy}).
     */
    static Optional<InputProblem> refusal(ObservationKind kind, ObservationSource source, Actor actor) {
        if (kind.assertableBy(source)) {
            return Optional.empty();
        }
        return Optional.of(new InputProblem("Observation.code", "forbidden", "expected " + kind.name().toLowerCase()
                + " (LOINC " + kind.code() + ") from " + kind.sources().stream().map(ObservationSource::display)
                .reduce((a, b) -> a + " or " + b).orElse("nobody") + ", found one sent by " + actor.id() + " as "
                + source.code() + (source == ObservationSource.DEVICE_GATEWAY
                ? ": a device gateway sends device measurements, not labs, pregnancy status or symptoms"
                : kind.assertableBy(ObservationSource.PATIENT) ? ""
                : ": a patient may report symptoms and send vital signs, not labs or pregnancy status")));
    }

    /**
     * The resource as it will be stored: the sender's, with one {@code meta.tag} of
     * {@link ObservationSource#TAG_SYSTEM} saying who asserted it. This tag is the one way ClinLoop
     * marks the source on the resource (a patient-entered blood pressure reads {@code patient} /
     * "patient-entered"), so whoever reads the Observation sees it; a tag of that system sent by
     * the sender is replaced, never believed.
     */
    static Observation marked(Observation observation, ObservationSource source) {
        Observation copy = observation.copy();
        copy.getMeta().getTag().removeIf(t -> ObservationSource.TAG_SYSTEM.equals(t.getSystem()));
        copy.getMeta().addTag(ObservationSource.TAG_SYSTEM, source.code(), source.display());
        return copy;
    }

    private Accepted store(Checked c, Actor actor) {
        Instant now = clock.instant();
        Observation stored = c.observation.copy();
        stored.setId(c.id);
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        String json = fhir.newJsonParser().encodeResourceToString(stored);
        String patientId = c.result.patientId();
        ObservationKind kind = c.result.kind();
        BloodPressureReading reading = c.result.reading();
        Measurement m = c.result.measurement();
        Identifier ident = identifier(stored);
        String device = stored.hasDevice() && stored.getDevice().getReference() != null
                && stored.getDevice().getReference().startsWith("Device/")
                ? stored.getDevice().getReference().substring("Device/".length()) : null;
        store.saveObservation(new ObservationRow(c.id, patientId, kind.code(), stored.getStatus().toCode(), c.effective(),
                reading, m == null ? null : m.value(), kind.unit(), m == null ? null : m.code(),
                ident == null ? null : ident.hasSystem() ? ident.getSystem() : "", ident == null ? null : ident.getValue(), device, now, actor.id(),
                json, c.source().code()));
        audit.append(AuditEvent.of(ReadingRecorded.TYPE, actor, patientId,
                accepted(c.id, kind, c.effective(), c.source(), reading, m, json, c.warnings()).toDetail()));

        TitrationWorkflow.Receipt receipt = null;
        if (reading != null) {
            List<BloodPressureReading> history = store.bloodPressureBetween(patientId,
                    reading.effective().minus(HISTORY), reading.effective());
            receipt = workflow.onReading(patientId, history, reading);
        }
        if (receipt != null && receipt.instruction() != null) {
            // The patient app reads it from the create's OperationOutcome (or the bundle entry's).
            List<InputProblem> notes = new ArrayList<>(c.warnings());
            notes.add(new InputProblem("Observation.component", "informational", receipt.instruction()));
            return new Accepted(stored, receipt, true, notes);
        }
        return new Accepted(stored, receipt, true, c.warnings());
    }

    /** What OBSERVATION_ACCEPTED records about a stored reading. */
    static ReadingRecorded accepted(String id, ObservationKind kind, Instant effective, ObservationSource source,
                                    BloodPressureReading reading, Measurement m, String json,
                                    List<InputProblem> warnings) {
        ReadingRecorded.Value value = reading != null ? new ReadingRecorded.Pressure(reading.systolic(), reading.diastolic())
                : m.value() != null ? new ReadingRecorded.Quantity(m.value()) : new ReadingRecorded.Coded(m.code());
        return ReadingRecorded.accepted(id, kind.name(), ObservationRules.LOINC + "|" + kind.code(), effective,
                source.code(), value, kind.unit(), Fingerprints.sha256Hex(json.getBytes(StandardCharsets.UTF_8)),
                CallerText.capped(warnings.stream().map(w -> w.expression() + ": " + w.message()).toList(),
                        n -> CallerText.cutItems(n, "warnings")));
    }

    /** The unit, code or system of a value quantity (the vital-signs profiles fix them). */
    static boolean isUnitOfAcceptedQuantity(InputProblem p) {
        return p.expression() != null && p.expression().matches(".*valueQuantity(\\.(unit|code|system))?");
    }

    /** EHR systems submit for anyone; a patient for themself; a clinician for their panel. */
    private void requireSubmitter(Actor actor, String patientId) {
        if (!maySubmit(actor, patientId)) {
            throw new AccessRefusedException(actor.id() + " may not submit or see readings of patient " + patientId + ".");
        }
    }

    private boolean maySubmit(Actor actor, String patientId) {
        boolean ehr = actor.hasRole(Roles.EHR_SYSTEM) || actor.hasRole(Actor.SYSTEM_ROLE);
        boolean self = actor.hasRole(Roles.PATIENT) && patientId.equals(actor.patientId());
        boolean clinician = actor.hasRole(Roles.CLINICIAN) && patients.isOnPanel(actor.practitionerId(), patientId);
        return ehr || self || clinician;
    }

    static Identifier identifier(Observation o) {
        for (Identifier i : o.getIdentifier()) {
            if (i.hasValue()) {
                return i;
            }
        }
        return null;
    }

    private Observation parse(ObservationRow row) {
        return fhir.newJsonParser().parseResource(Observation.class, row.resourceJson());
    }

    /** A stored Observation, if the actor may read its patient's record. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Observation read(String id, Actor actor) {
        String notFound = "No Observation/" + id + ".";
        ObservationRow row = store.observation(id).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(row.patientId(), () -> patients.requireReader(actor, row.patientId()),
                notFound);
        return parse(row);
    }

    /**
     * Which of a patient's observations to find.
     *
     * @param codes       LOINC codes (any accepted code of a kind finds the kind), or empty for all
     * @param from        measured at or after, or null
     * @param to          measured at or before, or null
     * @param updatedFrom received at or after, or null
     * @param updatedTo   received at or before, or null
     */
    public record Query(String patientId, List<String> codes, Instant from, Instant to, Instant updatedFrom,
                        Instant updatedTo) {
        public Query {
            codes = codes.stream().map(c -> ObservationKind.byLoinc(c).map(ObservationKind::code).orElse(c))
                    .distinct().toList();
        }
    }

    /** How many observations match; the actor must be allowed to read the patient's record. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public int count(Query q, Actor actor) {
        patients.requireReader(actor, q.patientId());
        return store.countObservations(q.patientId(), q.codes(), q.from(), q.to(), q.updatedFrom(), q.updatedTo());
    }

    /** One page of the matching observations, newest measurement first. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Observation> search(Query q, Actor actor, int offset, int limit) {
        patients.requireReader(actor, q.patientId());
        return store.searchObservations(q.patientId(), q.codes(), q.from(), q.to(), q.updatedFrom(), q.updatedTo(),
                offset, limit).stream().map(this::parse).toList();
    }

    /** The latest {@code max} observations of each code (of the given ones, or all) for a patient. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Observation> lastN(String patientId, List<String> codes, int max, Actor actor) {
        patients.requireReader(actor, patientId);
        List<String> kinds = codes.isEmpty()
                ? java.util.Arrays.stream(ObservationKind.values()).map(ObservationKind::code).toList()
                : codes.stream().map(c -> ObservationKind.byLoinc(c).map(ObservationKind::code).orElse(c)).distinct().toList();
        List<Observation> out = new ArrayList<>();
        for (String code : kinds) {
            store.searchObservations(patientId, List.of(code), null, null, null, null, 0, max).stream()
                    .map(this::parse).forEach(out::add);
        }
        return out;
    }
}
