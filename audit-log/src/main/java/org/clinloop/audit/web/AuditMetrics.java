package org.clinloop.audit.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;
import org.clinloop.audit.AuditBacklog;
import org.clinloop.audit.AuditLog;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * {@code /metrics} for the audit outbox: events committed but not chained yet, and how long the
 * oldest has waited (normally milliseconds; growth means chaining has stalled), read from the
 * database at scrape time, once per scrape; and whether tree-head signing is refused because the
 * signing key is not the pinned one.
 */
@ApplicationScoped
public class AuditMetrics {

    private static final Duration SHARED_FOR = Duration.ofSeconds(1);

    @Inject
    MetricRegistry metrics;
    @Inject
    AuditLog log;
    @Inject
    Clock clock;

    private record Reading(Instant at, AuditBacklog backlog) {
    }

    private final AtomicReference<Reading> last = new AtomicReference<>();

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        gauge("clinloop_audit_staged_events", "Audit events committed and not yet chained", b -> b.staged());
        gauge("clinloop_audit_oldest_staged_seconds", "How long the oldest unchained audit event has waited",
                b -> b.age(clock.instant()).toMillis() / 1000.0);
        metrics.gauge(Metadata.builder().withName("clinloop_audit_signing_refused").withDescription(
                "1 when the audit signing key on disk is not the pinned one and no tree head is signed").build(),
                this, self -> log.signingRefusal().isPresent() ? 1.0 : 0.0);
    }

    private void gauge(String name, String description, ToDoubleFunction<AuditBacklog> value) {
        metrics.gauge(Metadata.builder().withName(name).withDescription(description).build(), this, self -> {
            try {
                return value.applyAsDouble(backlog());
            } catch (RuntimeException e) {
                return Double.NaN; // the database is out of reach; readiness says so
            }
        });
    }

    private AuditBacklog backlog() {
        Instant now = clock.instant();
        Reading r = last.get();
        if (r == null || r.at().plus(SHARED_FOR).isBefore(now)) {
            r = new Reading(now, log.backlog());
            last.set(r);
        }
        return r.backlog();
    }
}
