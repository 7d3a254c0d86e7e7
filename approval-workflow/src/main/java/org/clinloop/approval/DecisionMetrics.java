package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * {@code /metrics} for the decision pipeline: outbox depth (patients and readings), the age of the
 * oldest pending patient, decisions made (a counter; its rate is decisions/s), failed decisions
 * and the coalescing ratio (readings per decision). Read from the database at scrape time, so
 * every instance reports the shared outbox; one query serves all the outbox gauges of a scrape.
 */
@ApplicationScoped
public class DecisionMetrics {

    @Inject
    MetricRegistry metrics;
    @Inject
    DecisionQueue queue;
    @Inject
    DecisionWorker worker;
    @Inject
    Clock clock;

    /** The outbox as last read, and when: the gauges of one scrape share it. */
    private record Reading(Instant at, DecisionQueue.Depth depth) {
    }

    private static final Duration SHARED_FOR = Duration.ofSeconds(1);
    private final AtomicReference<Reading> last = new AtomicReference<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        outbox("clinloop_decisions_outbox_patients", "Patients with a decision pending", DecisionQueue.Depth::patientsDue);
        outbox("clinloop_decisions_outbox_readings", "Readings waiting for a decision",
                DecisionQueue.Depth::readingsPending);
        outbox("clinloop_decisions_oldest_pending_seconds", "How long the oldest pending patient has waited",
                d -> d.oldestAge(clock.instant()).toMillis() / 1000.0);
        outbox("clinloop_decisions_coalescing_ratio", "Readings covered per decision (1: none coalesced)",
                DecisionQueue.Depth::coalescingRatio);
        outbox("clinloop_decisions_total", "Decisions made, all instances (its rate is decisions per second)",
                DecisionQueue.Depth::decisions);
        metrics.gauge(Metadata.builder().withName("clinloop_decisions_instance_total")
                .withDescription("Decisions this instance made since it started").build(), worker, w -> w.decided());
        metrics.gauge(Metadata.builder().withName("clinloop_decisions_failures_total")
                .withDescription("Decisions this instance attempted that rolled back (the patient stays queued)").build(),
                worker, w -> w.failures());
    }

    private void outbox(String name, String description, ToDoubleFunction<DecisionQueue.Depth> value) {
        metrics.gauge(Metadata.builder().withName(name).withDescription(description).build(), this, self -> {
            try {
                return value.applyAsDouble(depth());
            } catch (RuntimeException e) {
                return Double.NaN; // the database is out of reach; readiness says so
            }
        });
    }

    private DecisionQueue.Depth depth() {
        Instant now = clock.instant();
        Reading r = last.get();
        if (r == null || r.at().plus(SHARED_FOR).isBefore(now)) {
            r = new Reading(now, queue.depth());
            last.set(r);
        }
        return r.depth();
    }
}
