package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.function.ToDoubleFunction;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * {@code /metrics} for the decision pipeline: outbox depth (patients and readings), the age of the
 * oldest pending patient, decisions made (a counter; its rate is decisions/s), failed decisions
 * and the coalescing ratio (readings per decision). Read from the database at scrape time, so
 * every instance reports the shared outbox.
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
        metrics.gauge(Metadata.builder().withName(name).withDescription(description).build(), queue, q -> {
            try {
                return value.applyAsDouble(q.depth());
            } catch (RuntimeException e) {
                return Double.NaN; // the database is out of reach; readiness says so
            }
        });
    }
}
