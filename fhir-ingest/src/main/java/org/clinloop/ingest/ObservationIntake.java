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
import java.util.UUID;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.Roles;
import org.clinloop.approval.TitrationWorkflow;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.approval.WorkflowOutcome;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.Fingerprints;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.ingest.internal.ObservationRow;
import org.clinloop.recommendation.BloodPressureReading;
import org.hl7.fhir.r4.model.Observation;

/**
 * Accepts blood-pressure Observations: check, store, record, decide, in one transaction. A
 * caller told "accepted" can rely on the reading, its decision and their audit entries being
 * durable; a refused reading leaves nothing behind but the record of its refusal.
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

    private final FhirContext fhir = FhirContext.forR4Cached();

    /** A stored Observation and what became of it. */
    public record Accepted(Observation observation, WorkflowOutcome outcome) {
    }

    @Transactional
    public Accepted accept(Observation observation, Actor actor) {
        Checked checked = check(observation, actor, "");
        return store(checked, actor);
    }

    /**
     * Accepts several readings atomically (a FHIR transaction): every one is checked before any
     * is stored, then they are decided in order of when they were taken.
     */
    @Transactional
    public List<Accepted> acceptAll(List<Observation> observations, List<String> expressionPrefixes, Actor actor) {
        List<Checked> checked = new ArrayList<>();
        List<InputProblem> problems = new ArrayList<>();
        for (int i = 0; i < observations.size(); i++) {
            try {
                checked.add(check(observations.get(i), actor, expressionPrefixes.get(i)));
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        List<Checked> byTime = new ArrayList<>(checked);
        byTime.sort(Comparator.comparing(c -> c.result.reading().effective()));
        Map<Checked, Accepted> done = new LinkedHashMap<>();
        for (Checked c : byTime) {
            done.put(c, store(c, actor));
        }
        return checked.stream().map(done::get).toList();
    }

    /** Records a refusal in its own transaction (the refused request's transaction rolled back). */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRejection(Actor actor, String patientId, List<InputProblem> problems) {
        List<Map<String, String>> issues = new ArrayList<>();
        for (InputProblem p : problems) {
            issues.add(Map.of("expression", p.expression(), "code", p.code(), "message", p.message()));
        }
        audit.append(AuditEvent.of(AuditEventType.OBSERVATION_REJECTED, actor,
                patientId != null && patients.knows(patientId) ? patientId : null, Map.of("problems", issues)));
    }

    private record Checked(Observation observation, String id, BloodPressureRules.Checked result) {
    }

    private Checked check(Observation observation, Actor actor, String prefix) {
        String id = UUID.randomUUID().toString();
        BloodPressureRules.Checked result = BloodPressureRules.check(observation, id, clock.instant());
        List<InputProblem> problems = new ArrayList<>(result.problems());
        if (result.patientId() != null && !patients.knows(result.patientId())) {
            problems.add(new InputProblem("Observation.subject", "not-found",
                    "expected a reference to a known Patient, found Patient/" + result.patientId()));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(prefixed(prefix, problems));
        }
        requireSubmitter(actor, result.patientId());
        return new Checked(observation, id, result);
    }

    private Accepted store(Checked c, Actor actor) {
        Instant now = clock.instant();
        BloodPressureReading reading = c.result.reading();
        Observation stored = c.observation.copy();
        stored.setId(c.id);
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        String json = fhir.newJsonParser().encodeResourceToString(stored);
        String patientId = c.result.patientId();
        store.saveObservation(new ObservationRow(c.id, patientId, BloodPressureRules.BP_PANEL,
                stored.getStatus().toCode(), reading, now, actor.id(), json));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("observation", c.id);
        detail.put("code", BloodPressureRules.LOINC + "|" + BloodPressureRules.BP_PANEL);
        detail.put("effective", reading.effective().toString());
        detail.put("systolic", reading.systolic());
        detail.put("diastolic", reading.diastolic());
        detail.put("unit", BloodPressureRules.MM_HG);
        detail.put("resourceHash", Fingerprints.sha256Hex(json.getBytes(StandardCharsets.UTF_8)));
        audit.append(AuditEvent.of(AuditEventType.OBSERVATION_ACCEPTED, actor, patientId, detail));

        List<BloodPressureReading> history = store.bloodPressureBetween(patientId,
                reading.effective().minus(HISTORY), reading.effective());
        WorkflowOutcome outcome = workflow.onReading(patientId, history, reading);
        return new Accepted(stored, outcome);
    }

    /** EHR systems submit for anyone; a patient for themself; a clinician for their panel. */
    private void requireSubmitter(Actor actor, String patientId) {
        boolean ehr = actor.hasRole(Roles.EHR_SYSTEM) || actor.hasRole(Actor.SYSTEM_ROLE);
        boolean self = actor.hasRole(Roles.PATIENT) && patientId.equals(actor.patientId());
        boolean clinician = actor.hasRole(Roles.CLINICIAN) && patients.isOnPanel(actor.practitionerId(), patientId);
        if (!ehr && !self && !clinician) {
            throw new AccessRefusedException(actor.id() + " may not submit readings for patient " + patientId + ".");
        }
    }

    private static List<InputProblem> prefixed(String prefix, List<InputProblem> problems) {
        if (prefix.isEmpty()) {
            return problems;
        }
        return problems.stream().map(p -> new InputProblem(prefix + p.expression().substring(
                p.expression().indexOf('.') + 1), p.code(), p.message())).toList();
    }

    /** A stored Observation, if the actor may read its patient's record. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Observation read(String id, Actor actor) {
        ObservationRow row = store.observation(id)
                .orElseThrow(() -> new UnknownResourceException("No Observation/" + id + "."));
        patients.requireReader(actor, row.patientId());
        return fhir.newJsonParser().parseResource(Observation.class, row.resourceJson());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Observation> search(String patientId, Actor actor, int limit) {
        patients.requireReader(actor, patientId);
        return store.observationsOf(patientId, limit).stream()
                .map(r -> fhir.newJsonParser().parseResource(Observation.class, r.resourceJson())).toList();
    }
}
