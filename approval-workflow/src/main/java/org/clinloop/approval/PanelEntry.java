package org.clinloop.approval;

import java.time.Instant;
import java.util.List;
import org.clinloop.audit.PatientData;

/**
 * One patient of a clinician's panel as the panel lists them: who, on what, where their blood
 * pressure stands against their goal, and what waits for the clinician.
 *
 * @param patientId           the patient
 * @param name                "Given Family" as the EHR registered it, or null
 * @param protocol            the titration protocol, or null when no regimen is on record
 * @param doseStep            the current dose step, or null when no regimen is on record
 * @param dose                e.g. "lisinopril 10 mg daily", or null
 * @param doseLadder          the protocol's doses by step ("lisinopril 2.5 mg daily", …), empty without a regimen
 * @param systolicTarget      the goal's systolic upper bound, mm[Hg]
 * @param diastolicTarget     the goal's diastolic upper bound, mm[Hg]
 * @param lastReading         the newest blood-pressure reading of the last 35 days, or null
 * @param weekMeanSystolic    mean systolic over the last 7 days, or null without readings
 * @param weekMeanDiastolic   mean diastolic over the last 7 days, or null without readings
 * @param inTarget            both week means below the goal; null without readings in 7 days
 * @param openTask            the open proposal (at most one per patient), or null
 * @param openAlerts          alerts not yet acknowledged
 * @param worstAlert          the most severe open alert's severity ("high", "moderate"), or null
 * @param escalated           whether an open alert was escalated for not being acknowledged
 * @param followUpDays        the suggested interval between visits ({@link FollowUp})
 * @param followUpReason      why that interval
 * @param followUpDue         the last dose change plus that interval, or null without a regimen
 * @param followUpOverdue     whether {@code followUpDue} has passed
 * @param activeBounds        the clinician-signed bounds in force, or null when none was signed
 * @param autonomyEnabled     whether the active bounds allow automatic delivery at all
 * @param autonomyEarned      whether enough proposals were approved unmodified in a row
 * @param consecutiveApprovals proposals approved unmodified in a row
 * @param requiredApprovals   how many autonomy needs
 * @param risk                the panel's sort key, higher first ({@link Panel#risk})
 * @param riskReasons         what added to {@code risk}, largest first
 */
public record PanelEntry(String patientId, String name, String protocol, Integer doseStep, String dose,
                         List<String> doseLadder,
                         double systolicTarget, double diastolicTarget, Reading lastReading, Double weekMeanSystolic,
                         Double weekMeanDiastolic, Boolean inTarget, OpenTask openTask, int openAlerts,
                         String worstAlert, boolean escalated, long followUpDays, String followUpReason,
                         Instant followUpDue, boolean followUpOverdue, SafetyBounds activeBounds,
                         boolean autonomyEnabled, boolean autonomyEarned,
                         int consecutiveApprovals, int requiredApprovals, int risk, List<String> riskReasons)
        implements PatientData {

    public PanelEntry {
        doseLadder = List.copyOf(doseLadder);
        riskReasons = List.copyOf(riskReasons);
    }

    /** A blood-pressure reading as the panel shows it. */
    public record Reading(Instant at, double systolic, double diastolic) {
    }

    /**
     * The open proposal at a glance; the whole task is {@code GET /api/tasks/{id}}.
     *
     * @param id           the task
     * @param priority     ROUTINE, URGENT or STAT
     * @param createdAt    when it was queued
     * @param direction    DECREASE, HOLD or INCREASE
     * @param fromStep     dose step when proposed
     * @param toStep       proposed dose step
     * @param proposedDose e.g. "lisinopril 20 mg daily"
     */
    public record OpenTask(String id, TaskPriority priority, Instant createdAt, String direction, int fromStep,
                           int toStep, String proposedDose) {
    }
}
