package org.clinloop.approval;

import java.time.Instant;
import java.util.List;
import org.clinloop.audit.PatientData;

/**
 * A proposal waiting for (or decided by) a clinician, with what the clinician needs to decide.
 *
 * @param id                task id (FHIR Task id)
 * @param proposalId        the proposal (FHIR MedicationRequest with intent proposal)
 * @param patientId         the patient
 * @param status            REQUESTED, APPROVED, REJECTED, EXPIRED or CANCELLED
 * @param priority          ROUTINE, URGENT or STAT (crisis)
 * @param ownerPractitioner the responsible clinician's Practitioner id, or null if unassigned
 * @param createdAt         when it was queued
 * @param fromStep          dose step when proposed
 * @param toStep            proposed dose step
 * @param proposedDose      e.g. "lisinopril 20 mg daily"
 * @param direction         DECREASE, HOLD or INCREASE
 * @param probability       model probability
 * @param rationale         the model's plain-language rationale
 * @param modelId           model version
 * @param reasons           why it was not delivered automatically (from the rules that fired)
 * @param decidedBy         clinician who decided, or null
 * @param decidedAt         when, or null
 * @param reasonCode        rejection reason code, or null
 * @param note              clinician's note, or null
 * @param expiresAt         when the task lapses if nobody decides
 * @param modifiedToStep    the dose step a clinician chose instead of the proposal's, or null
 * @param successorTask     the task that superseded this one (CANCELLED, reason superseded), or null
 * @param alertsSinceProposal alerts about the patient raised or repeated since the task was queued: what
 *                          the card did not show when the proposal was made
 */
public record ApprovalTask(String id, String proposalId, String patientId, TaskStatus status, TaskPriority priority,
                           String ownerPractitioner, Instant createdAt, int fromStep, int toStep, String proposedDose,
                           String direction, double probability, String rationale, String modelId,
                           List<String> reasons, String decidedBy, Instant decidedAt, String reasonCode,
                           String note, Instant expiresAt, Integer modifiedToStep,
                           String successorTask, List<SafetyAlert> alertsSinceProposal) implements PatientData {

    public ApprovalTask {
        reasons = List.copyOf(reasons);
        alertsSinceProposal = List.copyOf(alertsSinceProposal);
    }
}
