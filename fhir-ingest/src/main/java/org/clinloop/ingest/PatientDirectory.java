package org.clinloop.ingest;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.CareTeam;
import org.clinloop.approval.Roles;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.clinloop.audit.Fingerprints;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.ingest.internal.PatientRow;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * Patients as EHRs send them, and the care team read from {@code Patient.generalPractitioner}
 * (a {@code Practitioner/{id}} reference; the id is the clinician's {@code practitioner_id}).
 */
@ApplicationScoped
public class PatientDirectory implements CareTeam {

    static final String ID_PATTERN = "[A-Za-z0-9\\-.]{1,64}";

    @Inject
    FhirStore store;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;
    @Inject
    ProfileCheck profiles;

    private final FhirContext fhir = FhirContext.forR4Cached();

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> responsiblePractitioner(String patientId) {
        return store.generalPractitionerOf(patientId);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public boolean knows(String patientId) {
        return patientId != null && store.patientExists(patientId);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Member> panelOf(String practitionerId, int limit) {
        if (practitionerId == null) {
            return List.of();
        }
        return store.searchPatients(null, null, null, null, null, practitionerId, null, limit).stream()
                .map(row -> new Member(row.id(), row.displayName())).toList();
    }

    /**
     * Creates ({@code id} null: a new server id) or replaces a Patient. Only EHR systems (and
     * ClinLoop itself, for demo data) register patients.
     */
    @Transactional
    public Patient save(Patient patient, String id, Actor actor) {
        return saveWithWarnings(patient, id, actor).patient();
    }

    /** A stored Patient and what the profile check found short of an error (e.g. an unknown meta.profile). */
    public record Saved(Patient patient, List<InputProblem> warnings) {
        public Saved {
            warnings = List.copyOf(warnings);
        }
    }

    @Transactional
    public Saved saveWithWarnings(Patient patient, String id, Actor actor) {
        if (!actor.hasRole(Roles.EHR_SYSTEM) && !actor.hasRole(Actor.SYSTEM_ROLE)) {
            throw new AccessRefusedException("Expected an EHR system to register patients, found " + actor.id() + ".");
        }
        List<InputProblem> problems = new ArrayList<>();
        String patientId = id == null ? UUID.randomUUID().toString() : id;
        if (!patientId.matches(ID_PATTERN)) {
            problems.add(new InputProblem("Patient.id", "value", "expected an id of 1-64 letters, digits, '-' or '.', found " + id));
        }
        String practitioner = null;
        if (patient.hasGeneralPractitioner()) {
            String ref = patient.getGeneralPractitionerFirstRep().getReference();
            if (ref == null || !ref.matches("Practitioner/" + ID_PATTERN)) {
                problems.add(new InputProblem("Patient.generalPractitioner[0]", "value",
                        "expected a reference Practitioner/{id}, found " + ref));
            } else {
                practitioner = ref.substring("Practitioner/".length());
            }
        }
        Identifier first = patient.getIdentifierFirstRep();
        ResourceLimits.requireLength("Patient.identifier[0].system", first.getSystem(), 200, problems);
        ResourceLimits.requireLength("Patient.identifier[0].value", first.getValue(), 200, problems);
        ResourceLimits.requireLength("Patient.name[0].family", patient.getNameFirstRep().getFamily(), 200, problems);
        ResourceLimits.requireLength("Patient.name[0].given", patient.getNameFirstRep().getGivenAsSingleString(), 200,
                problems);
        List<InputProblem> limits = ResourceLimits.check(patient);
        problems.addAll(limits);
        List<InputProblem> warnings = List.of();
        if (limits.isEmpty()) {
            ProfileCheck.ProfileReport profile = profiles.check(patient);
            profile.errors().stream().filter(p -> !ProfileCheck.repeats(p, problems)).forEach(problems::add);
            warnings = profile.warnings();
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        Instant now = clock.instant();
        Optional<PatientRow> existing = store.lockPatient(patientId);
        String current = existing.map(PatientRow::generalPractitioner).orElse(null);
        if (current != null && !current.equals(practitioner) && !actor.hasRole(Actor.SYSTEM_ROLE)) {
            // Issue 14: a system may name the first responsible clinician, never move a patient to another's panel.
            throw new CareTeamChangeRefusedException(patientId, current, practitioner);
        }
        boolean created = existing.isEmpty();
        PatientRow row = existing.orElseGet(() -> new PatientRow(patientId));
        Patient stored = patient.copy();
        stored.setId(patientId);
        String json = nextVersion(row, stored, practitioner, now);
        if (created) {
            store.insertPatient(row);
        }
        audit.append(AuditEvent.of(AuditEventType.PATIENT_REGISTERED, actor, patientId, Map.of(
                "created", created, "version", row.versionId(), "generalPractitioner", CallerText.capped(String.valueOf(practitioner)),
                "resourceHash", Fingerprints.sha256Hex(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        return new Saved(stored, warnings);
    }

    /**
     * A clinician hands a patient on their panel over to another clinician (issue 14): the only way a
     * patient's responsible clinician ({@code Patient.generalPractitioner}) changes once set. The
     * Patient gets a new version naming the new clinician, and {@code CARE_TEAM_CHANGED} records
     * who handed whom over, from whom to whom, and why. A patient not on the caller's panel answers
     * as a missing one.
     *
     * @param to     the receiving clinician's practitioner id
     * @param reason why, in the clinician's words (required; kept capped in the audit log)
     */
    @Transactional
    public Patient handOver(String patientId, String to, String reason, Actor clinician) {
        String notFound = "No Patient/" + patientId + ".";
        UnknownResourceException.unlessReadable(patientId, () -> Roles.requireClinicianFor(clinician, patientId, this),
                notFound);
        List<InputProblem> problems = new ArrayList<>();
        if (to == null || !to.matches(ID_PATTERN)) {
            problems.add(new InputProblem("practitioner", "value",
                    "expected a practitioner id of 1-64 letters, digits, '-' or '.', found " + to));
        } else if (to.equals(clinician.practitionerId())) {
            problems.add(new InputProblem("practitioner", "value",
                    "expected another clinician than the responsible one, found " + to));
        }
        if (reason == null || reason.isBlank()) {
            problems.add(new InputProblem("reason", "required", "expected why the patient is handed over, found none"));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
        PatientRow row = store.lockPatient(patientId).orElseThrow(() -> new UnknownResourceException(notFound));
        String from = row.generalPractitioner();
        if (!clinician.practitionerId().equals(from)) {
            // Handed over by someone else meanwhile: no longer the caller's patient.
            UnknownResourceException.unlessReadable(patientId, () -> {
                throw new AccessRefusedException("Patient " + patientId + " is not on the panel of " + clinician.id() + ".");
            }, notFound);
        }
        Instant now = clock.instant();
        Patient stored = fhir.newJsonParser().parseResource(Patient.class, row.resourceJson());
        stored.setGeneralPractitioner(new ArrayList<>());
        stored.addGeneralPractitioner().setReference("Practitioner/" + to);
        String json = nextVersion(row, stored, to, now);
        audit.append(AuditEvent.of(AuditEventType.CARE_TEAM_CHANGED, clinician, patientId, Map.of(
                "from", from, "to", to, "reason", CallerText.capped(reason.trim()), "version", row.versionId(),
                "resourceHash", Fingerprints.sha256Hex(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        return stored;
    }

    /** Records a system's refused change of a patient's responsible clinician ({@code CARE_TEAM_CHANGE_REFUSED}), in a transaction of its own. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void recordRefusal(CareTeamChangeRefusedException refused, Actor actor, String client) {
        audit.append(AuditEvent.of(AuditEventType.CARE_TEAM_CHANGE_REFUSED, actor, refused.patientId(), Map.of(
                "current", refused.current(), "sent", String.valueOf(refused.sent()), "client", String.valueOf(client))));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Patient read(String id, Actor actor) {
        String notFound = "No Patient/" + id + ".";
        PatientRow row = store.patient(id).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(id, () -> requireReader(actor, id), notFound);
        return fhir.newJsonParser().parseResource(Patient.class, row.resourceJson());
    }

    /**
     * What a Patient search may ask: identifier, name prefix (family or given), birth date range.
     * Null means not constrained.
     */
    public record Query(String identifierSystem, String identifierValue, String name, LocalDate bornFrom,
                        LocalDate bornTo) {

        public boolean constrained() {
            return identifierValue != null || name != null || bornFrom != null || bornTo != null;
        }
    }

    /**
     * Patients visible to the actor that match the query. EHR systems search every patient but
     * must constrain the search; clinicians search their own panel (all of it when the query is
     * empty); a patient finds only themself; anyone else finds nothing.
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Patient> search(Query query, Actor actor, int limit) {
        String panel = null;
        String self = null;
        if (actor.hasRole(Roles.EHR_SYSTEM)) {
            if (!query.constrained()) {
                throw new InvalidInputException(List.of(new InputProblem("Patient?", "required",
                        "expected at least one of identifier, name or birthdate, found none")));
            }
        } else if (actor.hasRole(Roles.CLINICIAN) && actor.practitionerId() != null) {
            panel = actor.practitionerId();
        } else if (actor.hasRole(Roles.PATIENT) && actor.patientId() != null) {
            self = actor.patientId();
        } else {
            return List.of();
        }
        List<PatientRow> rows = store.searchPatients(query.identifierSystem(), query.identifierValue(), query.name(),
                query.bornFrom(), query.bornTo(), panel, self, limit);
        List<Patient> out = new ArrayList<>();
        for (PatientRow row : rows) {
            if (mayRead(actor, row.id())) {
                out.add(fhir.newJsonParser().parseResource(Patient.class, row.resourceJson()));
            }
        }
        return out;
    }

    /** EHR systems read any patient; everyone else as {@link Roles#requireReaderOf}. */
    public void requireReader(Actor actor, String patientId) {
        if (!mayRead(actor, patientId)) {
            throw new AccessRefusedException(actor.id() + " may not read the record of patient " + patientId + ".");
        }
    }

    private boolean mayRead(Actor actor, String patientId) {
        if (actor.hasRole(Roles.EHR_SYSTEM)) {
            return true;
        }
        try {
            Roles.requireReaderOf(actor, patientId, this);
            return true;
        } catch (AccessRefusedException e) {
            return false;
        }
    }

    /** Stamps {@code stored} as the row's next version, writes it into the row with its searchable fields, and returns its JSON. */
    private String nextVersion(PatientRow row, Patient stored, String practitioner, Instant now) {
        stored.getMeta().setVersionId(String.valueOf(row.versionId() + 1)).setLastUpdated(Date.from(now));
        Identifier ident = stored.getIdentifierFirstRep();
        HumanName name = stored.getNameFirstRep();
        String json = fhir.newJsonParser().encodeResourceToString(stored);
        row.update(ident.getSystem(), ident.getValue(), name.getFamily(), name.getGivenAsSingleString(),
                stored.hasBirthDate() ? stored.getBirthDate().toInstant().atZone(ZoneOffset.UTC).toLocalDate() : null,
                stored.hasGender() ? stored.getGender().toCode() : null, practitioner, now, json);
        return json;
    }
}
