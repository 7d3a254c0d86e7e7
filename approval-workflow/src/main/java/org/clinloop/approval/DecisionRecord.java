package org.clinloop.approval;

import java.time.Instant;
import java.util.List;

/**
 * One proposal and everything that became of it, for audits across patients.
 *
 * @param proposalId    the proposal
 * @param patientId     the patient
 * @param proposedAt    when the model proposed
 * @param direction     DECREASE, HOLD or INCREASE
 * @param modelId       the model version
 * @param tier          the rules' decision
 * @param taskStatus    the approval task's status, or null when none was queued
 * @param taskDecidedAt when a clinician decided the task, or null
 * @param rejection     the rejection reason code, or null
 * @param modified      true when a clinician approved a different dose than proposed
 * @param alertCodes    alerts raised with the proposal
 */
public record DecisionRecord(String proposalId, String patientId, Instant proposedAt, String direction, String modelId,
                             Tier tier, TaskStatus taskStatus, Instant taskDecidedAt, String rejection,
                             boolean modified, List<String> alertCodes) {

    public DecisionRecord {
        alertCodes = List.copyOf(alertCodes);
    }
}
