package org.clinloop.ingest;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.Roles;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.clinloop.ingest.internal.DeviceRow;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.ingest.internal.MedicationStatementRow;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.MedicationStatement;

/** Wearables (FHIR Device, each belonging to one patient) and patient-reported intake (MedicationStatement). */
@ApplicationScoped
public class DeviceRegistry {

    @Inject
    FhirStore store;
    @Inject
    PatientDirectory patients;
    @Inject
    AuditLog audit;
    @Inject
    Clock clock;

    private final FhirContext fhir = FhirContext.forR4Cached();

    @Transactional
    public Device register(Device device, Actor actor) {
        List<InputProblem> limits = new ArrayList<>(ResourceLimits.check(device));
        ResourceLimits.requireLength("Device.type.text", device.getType().getText(), 200, limits);
        ResourceLimits.requireLength("Device.type.coding[0].display", device.getType().getCodingFirstRep().getDisplay(),
                200, limits);
        if (!limits.isEmpty()) {
            throw new InvalidInputException(limits);
        }
        String ref = device.hasPatient() ? device.getPatient().getReference() : null;
        if (ref == null || !ref.startsWith("Patient/")) {
            throw new InvalidInputException(List.of(new InputProblem("Device.patient", "required",
                    "expected the patient the device belongs to (Patient/{id}), found " + (ref == null ? "none" : ref))));
        }
        String patientId = ref.substring("Patient/".length());
        if (!patients.knows(patientId)) {
            throw new InvalidInputException(List.of(new InputProblem("Device.patient", "not-found",
                    "expected a reference to a known Patient, found " + ref)));
        }
        requireOwnerOrEhr(actor, patientId);
        Instant now = clock.instant();
        Device stored = device.copy();
        String id = UUID.randomUUID().toString();
        stored.setId(id);
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        String type = device.hasType() ? device.getType().hasText() ? device.getType().getText()
                : device.getType().getCodingFirstRep().getDisplay() : null;
        store.saveDevice(new DeviceRow(id, patientId, type, now, fhir.newJsonParser().encodeResourceToString(stored)));
        audit.append(AuditEvent.of(AuditEventType.DEVICE_REGISTERED, actor, patientId, Map.of(
                "device", id, "type", CallerText.capped(String.valueOf(type)))));
        return stored;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Device read(String id, Actor actor) {
        String notFound = "No Device/" + id + ".";
        DeviceRow row = store.device(id).orElseThrow(() -> new UnknownResourceException(notFound));
        UnknownResourceException.unlessReadable(row.patientId(), () -> patients.requireReader(actor, row.patientId()),
                notFound);
        return fhir.newJsonParser().parseResource(Device.class, row.resourceJson());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Device> ofPatient(String patientId, Actor actor) {
        patients.requireReader(actor, patientId);
        return store.devicesOf(patientId).stream()
                .map(r -> fhir.newJsonParser().parseResource(Device.class, r.resourceJson())).toList();
    }

    /** A patient (or their app, or the EHR) reports a dose taken or missed. */
    @Transactional
    public MedicationStatement reportIntake(MedicationStatement statement, Actor actor) {
        List<InputProblem> limits = new ArrayList<>(ResourceLimits.check(statement));
        if (statement.hasMedicationCodeableConcept()) {
            ResourceLimits.requireLength("MedicationStatement.medicationCodeableConcept.coding[0].code",
                    statement.getMedicationCodeableConcept().getCodingFirstRep().getCode(), 32, limits);
        }
        if (!limits.isEmpty()) {
            throw new InvalidInputException(limits);
        }
        String ref = statement.hasSubject() ? statement.getSubject().getReference() : null;
        if (ref == null || !ref.startsWith("Patient/") || !patients.knows(ref.substring(8))) {
            throw new InvalidInputException(List.of(new InputProblem("MedicationStatement.subject", "required",
                    "expected a reference to a known Patient, found " + (ref == null ? "none" : ref))));
        }
        if (!statement.hasEffectiveDateTimeType() || statement.getEffectiveDateTimeType().getValue() == null) {
            throw new InvalidInputException(List.of(new InputProblem("MedicationStatement.effective", "required",
                    "expected effectiveDateTime (when the dose was taken or missed), found none")));
        }
        String patientId = ref.substring(8);
        requireOwnerOrEhr(actor, patientId);
        Instant now = clock.instant();
        Instant taken = statement.getEffectiveDateTimeType().getValue().toInstant();
        if (taken.isAfter(now.plus(ObservationRules.CLOCK_SKEW))) {
            throw new InvalidInputException(List.of(new InputProblem("MedicationStatement.effective", "value",
                    "expected a time no later than " + now.plus(ObservationRules.CLOCK_SKEW) + ", found " + taken)));
        }
        MedicationStatement stored = statement.copy();
        String id = UUID.randomUUID().toString();
        stored.setId(id);
        stored.getMeta().setVersionId("1").setLastUpdated(Date.from(now));
        String rxnorm = statement.hasMedicationCodeableConcept()
                ? statement.getMedicationCodeableConcept().getCodingFirstRep().getCode() : null;
        String status = statement.hasStatus() ? statement.getStatus().toCode() : "unknown";
        store.saveStatement(new MedicationStatementRow(id, patientId, taken, status, rxnorm, now,
                fhir.newJsonParser().encodeResourceToString(stored)));
        audit.append(AuditEvent.of(AuditEventType.INTAKE_REPORTED, actor, patientId, Map.of(
                "statement", id, "status", status, "rxnorm", CallerText.capped(String.valueOf(rxnorm)), "takenAt", taken.toString())));
        return stored;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public MedicationStatement readStatement(String id, Actor actor) {
        MedicationStatementRow row = store.statement(id)
                .orElseThrow(() -> new UnknownResourceException("No MedicationStatement/" + id + "."));
        UnknownResourceException.unlessReadable(row.patientId(), () -> patients.requireReader(actor, row.patientId()),
                "No MedicationStatement/" + id + ".");
        return fhir.newJsonParser().parseResource(MedicationStatement.class, row.resourceJson());
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<MedicationStatement> statementsOf(String patientId, Actor actor) {
        patients.requireReader(actor, patientId);
        return store.statementsOf(patientId, 500).stream()
                .map(r -> fhir.newJsonParser().parseResource(MedicationStatement.class, r.resourceJson())).toList();
    }

    private void requireOwnerOrEhr(Actor actor, String patientId) {
        boolean ehr = actor.hasRole(Roles.EHR_SYSTEM) || actor.hasRole(Actor.SYSTEM_ROLE);
        boolean self = actor.hasRole(Roles.PATIENT) && patientId.equals(actor.patientId());
        if (!ehr && !self) {
            throw new AccessRefusedException(actor.id() + " may not record devices or intake for patient " + patientId + ".");
        }
    }
}
