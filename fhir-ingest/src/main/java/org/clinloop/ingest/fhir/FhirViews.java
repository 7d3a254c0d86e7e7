package org.clinloop.ingest.fhir;

import java.util.Date;
import org.clinloop.approval.ApprovalTask;
import org.clinloop.approval.CareGoal;
import org.clinloop.approval.DoseAdjustment;
import org.clinloop.approval.SafetyAlert;
import org.clinloop.approval.TaskPriority;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Task;

/** ClinLoop records as FHIR R4 resources. */
public final class FhirViews {

    public static final String LOINC = "http://loinc.org";
    public static final String RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm";
    public static final String CLINLOOP_CODES = "https://clinloop.org/fhir/CodeSystem/clinloop";

    private FhirViews() {
    }

    /** An approval work item; focus is the contained proposal (MedicationRequest, intent proposal). */
    public static Task task(ApprovalTask t) {
        Task task = new Task();
        task.setId(t.id());
        task.setStatus(switch (t.status()) {
            case REQUESTED -> Task.TaskStatus.REQUESTED;
            case APPROVED -> Task.TaskStatus.COMPLETED;
            case REJECTED -> Task.TaskStatus.REJECTED;
            case EXPIRED, CANCELLED -> Task.TaskStatus.CANCELLED;
        });
        if (t.expiresAt() != null) {
            task.getRestriction().getPeriod().setEnd(Date.from(t.expiresAt()));
        }
        task.setIntent(Task.TaskIntent.ORDER);
        task.setPriority(t.priority() == TaskPriority.STAT ? Task.TaskPriority.STAT
                : t.priority() == TaskPriority.URGENT ? Task.TaskPriority.URGENT : Task.TaskPriority.ROUTINE);
        task.setCode(new CodeableConcept(new Coding("http://hl7.org/fhir/CodeSystem/task-code", "approve",
                "Activate/approve the focal resource")));
        task.setDescription(t.rationale());
        task.setFor(new Reference("Patient/" + t.patientId()));
        task.setAuthoredOn(Date.from(t.createdAt()));
        if (t.ownerPractitioner() != null) {
            task.setOwner(new Reference("Practitioner/" + t.ownerPractitioner()));
        }
        MedicationRequest proposal = new MedicationRequest();
        proposal.setId("proposal");
        proposal.setStatus(MedicationRequest.MedicationRequestStatus.DRAFT);
        proposal.setIntent(MedicationRequest.MedicationRequestIntent.PROPOSAL);
        proposal.setSubject(new Reference("Patient/" + t.patientId()));
        proposal.setMedication(new CodeableConcept().setText(t.proposedDose()));
        proposal.addIdentifier().setSystem(CLINLOOP_CODES + "/proposal").setValue(t.proposalId());
        proposal.addNote().setText(t.direction() + " from step " + t.fromStep() + " to " + t.toStep()
                + " (model " + t.modelId() + ", p " + t.probability() + ")");
        task.addContained(proposal);
        task.setFocus(new Reference("#proposal"));
        for (String reason : t.reasons()) {
            task.addNote().setText(reason);
        }
        if (t.modifiedToStep() != null) {
            task.addNote().setText("Modified: the clinician chose step " + t.modifiedToStep() + " instead of "
                    + t.toStep());
        }
        if (t.status() == org.clinloop.approval.TaskStatus.CANCELLED) {
            task.setStatusReason(new CodeableConcept(new Coding(CLINLOOP_CODES + "/task-cancellation",
                    t.reasonCode(), t.reasonCode())).setText(t.note()));
            if (t.successorTask() != null) {
                task.addNote().setText("Superseded by Task/" + t.successorTask());
            }
        }
        if (t.decidedBy() != null) {
            task.setLastModified(Date.from(t.decidedAt()));
            task.addNote().setText("Decided by " + t.decidedBy()
                    + (t.reasonCode() == null ? "" : " (" + t.reasonCode() + ")")
                    + (t.note() == null ? "" : ": " + t.note()));
        }
        return task;
    }

    /** A delivered dose change (intent order). */
    public static MedicationRequest order(DoseAdjustment a) {
        MedicationRequest mr = new MedicationRequest();
        mr.setId(a.id());
        mr.setStatus(MedicationRequest.MedicationRequestStatus.ACTIVE);
        mr.setIntent(MedicationRequest.MedicationRequestIntent.ORDER);
        mr.setSubject(new Reference("Patient/" + a.patientId()));
        mr.setAuthoredOn(Date.from(a.createdAt()));
        mr.setMedication(new CodeableConcept(new Coding(RXNORM, a.rxNormCode(), a.medication())));
        if (a.approvedBy() != null) {
            mr.setRecorder(new Reference().setDisplay(a.approvedBy()));
        }
        mr.addIdentifier().setSystem(CLINLOOP_CODES + "/proposal").setValue(a.proposalId());
        Dosage dosage = mr.addDosageInstruction();
        dosage.setText(a.medication() + " " + a.dose().stripTrailingZeros().toPlainString() + " " + a.unit() + " once daily");
        dosage.addDoseAndRate().setDose(new Quantity().setValue(a.dose()).setUnit(a.unit())
                .setSystem("http://unitsofmeasure.org").setCode(a.unit()));
        mr.addNote().setText("Step " + a.fromStep() + " to " + a.toStep() + ", " + a.route()
                + (a.modified() ? " (modified by the clinician)" : "")
                + (a.acknowledgedAt() == null ? "" : "; acknowledged " + a.acknowledgedAt())
                + (a.flaggedAt() == null ? "" : "; not acknowledged in time, flagged " + a.flaggedAt()));
        return mr;
    }

    public static DetectedIssue issue(SafetyAlert a) {
        DetectedIssue di = new DetectedIssue();
        di.setId(a.id());
        di.setStatus(DetectedIssue.DetectedIssueStatus.FINAL);
        di.setSeverity("high".equals(a.severity()) ? DetectedIssue.DetectedIssueSeverity.HIGH
                : DetectedIssue.DetectedIssueSeverity.MODERATE);
        di.setCode(new CodeableConcept(new Coding(CLINLOOP_CODES, a.code(), a.code())));
        di.setPatient(new Reference("Patient/" + a.patientId()));
        di.setIdentified(new org.hl7.fhir.r4.model.DateTimeType(Date.from(a.createdAt())));
        di.setDetail(a.detail());
        di.addImplicated(new Reference("Observation/" + a.triggerObservation()));
        if (a.occurrences() > 1) {
            di.setDetail(a.detail() + " (raised " + a.occurrences() + " times, last " + a.lastSeen() + ")");
        }
        if (a.acknowledgedAt() != null) {
            di.addMitigation().setAction(new CodeableConcept().setText("acknowledged"))
                    .setDate(Date.from(a.acknowledgedAt())).setAuthor(new Reference().setDisplay(a.acknowledgedBy()));
        }
        if (a.escalatedAt() != null) {
            di.addExtension(CLINLOOP_CODES + "/escalated", new org.hl7.fhir.r4.model.DateTimeType(Date.from(a.escalatedAt())));
        }
        return di;
    }

    /** Id of a patient's blood-pressure goal: one per patient. */
    public static String goalId(String patientId) {
        return "bp-" + patientId;
    }

    /**
     * The blood-pressure goal (FHIR Goal): systolic and diastolic targets as upper bounds, the
     * clinician who set it, or the protocol default until one does.
     */
    public static Goal goal(CareGoal g) {
        Goal goal = new Goal();
        goal.setId(goalId(g.patientId()));
        goal.setLifecycleStatus(Goal.GoalLifecycleStatus.ACTIVE);
        goal.setDescription(new CodeableConcept().setText(String.format(java.util.Locale.ROOT,
                "Home blood pressure below %.0f/%.0f mm[Hg]", g.systolicTarget(), g.diastolicTarget())));
        goal.setSubject(new Reference("Patient/" + g.patientId()));
        goal.addTarget().setMeasure(new CodeableConcept(new Coding(LOINC, "8480-6", "Systolic blood pressure")))
                .setDetail(new org.hl7.fhir.r4.model.Range().setHigh(mmHg(g.systolicTarget())));
        goal.addTarget().setMeasure(new CodeableConcept(new Coding(LOINC, "8462-4", "Diastolic blood pressure")))
                .setDetail(new org.hl7.fhir.r4.model.Range().setHigh(mmHg(g.diastolicTarget())));
        goal.setStatusDate(Date.from(g.setAt()));
        goal.setExpressedBy(new Reference().setDisplay(g.setBy()));
        return goal;
    }

    private static org.hl7.fhir.r4.model.SimpleQuantity mmHg(double value) {
        org.hl7.fhir.r4.model.SimpleQuantity q = new org.hl7.fhir.r4.model.SimpleQuantity();
        q.setValue(value).setUnit("mm[Hg]").setSystem("http://unitsofmeasure.org").setCode("mm[Hg]");
        return q;
    }
}
