package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.clinloop.approval.internal.OutboxStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.PatientData;

/**
 * The transactional outbox between ingest and decision: a reading's transaction marks its patient
 * due, and the {@link DecisionWorker} later makes one decision over everything that patient sent
 * since the last one. A reading answered 201 is therefore stored, audited, safety-checked and
 * queued in one commit; its decision follows within seconds, or after the patient's quiet period.
 */
@ApplicationScoped
public class DecisionQueue {

    @Inject
    OutboxStore outbox;
    @Inject
    CareTeam careTeam;

    /**
     * A reading waiting for its patient's next decision.
     *
     * @param observationId the stored Observation
     * @param effective     when it was measured
     */
    public record PendingReading(String observationId, Instant effective) {
        public PendingReading {
            Objects.requireNonNull(observationId, "The observation id is required.");
            Objects.requireNonNull(effective, "The measurement time is required.");
        }
    }

    /**
     * Where one patient's decisions stand.
     *
     * @param pendingReadings readings accepted and not yet decided
     * @param pendingSince    when the oldest of them was accepted, or null
     * @param dueAt           when the next decision may be made, or null when nothing is pending
     * @param lastProposalAt  when the last proposal was made (the quiet period counts from it), or null
     * @param decisions       decisions made so far
     */
    public record PatientStatus(String patientId, int pendingReadings, Instant pendingSince, Instant dueAt,
                                Instant lastProposalAt, long decisions) implements PatientData {
    }

    /**
     * The outbox as a whole.
     *
     * @param patientsDue     patients with a decision pending
     * @param readingsPending readings waiting for a decision
     * @param oldestPending   when the longest wait began, or null
     * @param oldestDue       the earliest time a waiting decision fell due, or null: a due time far in the
     *                        past means no worker is taking patients
     * @param decisions       decisions made since the outbox existed
     * @param readingsDecided readings those decisions covered (their ratio is the coalescing ratio)
     */
    public record Depth(long patientsDue, long readingsPending, Instant oldestPending, Instant oldestDue,
                        long decisions, long readingsDecided) {

        /** How long the oldest pending patient has waited at {@code now}; zero when none waits. */
        public Duration oldestAge(Instant now) {
            return oldestPending == null || oldestPending.isAfter(now) ? Duration.ZERO
                    : Duration.between(oldestPending, now);
        }

        /** Whether a decision has been due for longer than {@code patience} at {@code now}. */
        public boolean stalled(Instant now, Duration patience) {
            return oldestDue != null && oldestDue.plus(patience).isBefore(now);
        }

        /** Readings per decision; 1 means no coalescing, NaN before the first decision. */
        public double coalescingRatio() {
            return decisions == 0 ? Double.NaN : readingsDecided / (double) decisions;
        }
    }

    /**
     * A patient's decision status, for those who may read the patient's record; empty for a
     * patient without a regimen (nothing is ever decided for them).
     */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<PatientStatus> status(String patientId, Actor actor) {
        Roles.requireReaderOf(actor, patientId, careTeam);
        return outbox.status(patientId);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Depth depth() {
        return outbox.depth();
    }
}
