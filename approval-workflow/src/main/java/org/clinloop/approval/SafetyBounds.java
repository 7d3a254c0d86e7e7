package org.clinloop.approval;

import java.time.Instant;
import java.util.Objects;
import org.clinloop.audit.PatientData;

/**
 * One version of a patient's clinician-defined safety bounds: what the system may do on its own.
 * Never edited in place; a new version is authored, signed and activated.
 *
 * @param patientId         the patient
 * @param version           1, 2, … per patient
 * @param protocol          the protocol whose hard limits contain these bounds
 * @param lowestStep        lowest dose step the system may move to on its own
 * @param highestStep       highest dose step the system may move to on its own
 * @param maxAutoSteps      largest change (in steps) applied without a clinician
 * @param systolicFloor     no increase when the latest systolic is below this, mm[Hg]
 * @param minConfidence     model probability below which a clinician decides
 * @param autonomyEnabled   false: every change waits for a clinician (a new patient's default)
 * @param minDaysBetweenAutoChanges    at least this many days between two automatic changes
 * @param maxAutoChangesPer30Days      at most this many automatic changes in any 30 days
 * @param authoredBy        the clinician who signed this version ("protocol" for the default)
 * @param authoredAt        when it was signed
 */
public record SafetyBounds(String patientId, int version, String protocol, int lowestStep, int highestStep,
                           int maxAutoSteps, double systolicFloor, double minConfidence, boolean autonomyEnabled,
                           int minDaysBetweenAutoChanges, int maxAutoChangesPer30Days, String authoredBy,
                           Instant authoredAt) implements PatientData {

    public SafetyBounds {
        Objects.requireNonNull(patientId, "Patient id is required.");
        Objects.requireNonNull(protocol, "Protocol is required.");
        Objects.requireNonNull(authoredBy, "Author is required.");
    }

    /** Approval-only bounds spanning the protocol: what every patient has before a clinician signs any. */
    public static SafetyBounds protocolDefault(String patientId, ProtocolLimits limits) {
        return new SafetyBounds(patientId, 0, limits.protocol(), 0, limits.ladder().highestStep(), 0,
                Math.max(100, limits.systolicFloorMin()), 0.8, false, 14, 1, "protocol:" + limits.protocol(),
                Instant.EPOCH);
    }

    /** "bounds v3 of p-1". */
    public String versionTag() {
        return "bounds v" + version + " of " + patientId;
    }
}
