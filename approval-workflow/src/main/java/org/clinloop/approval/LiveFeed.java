package org.clinloop.approval;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.Actor;
import org.clinloop.audit.outage.OutageLog;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Live updates for the portal: each open stream polls its clinician's {@link Workloads} and sends a
 * {@code workload} event when the stamp changes (and once at the start), a comment now and then to
 * find a client that left, and ends when the client leaves or the token it opened with ends, so no
 * stream outlives its authorisation. Polling the database, not this node's memory, means a task or
 * alert made on any node reaches every node's streams. Counts only; the views a client reloads are
 * recorded as reads when read.
 */
@ApplicationScoped
public class LiveFeed {

    private static final Logger LOG = Logger.getLogger(LiveFeed.class.getName());
    private static final int HEARTBEAT_EVERY = 5;

    @Resource
    ManagedScheduledExecutorService executor;
    @Inject
    Workloads workloads;
    @Inject
    Clock clock;
    @Inject
    @ConfigProperty(name = "clinloop.live.poll-seconds", defaultValue = "3")
    int pollSeconds;
    @Inject
    @ConfigProperty(name = "clinloop.live.max-streams", defaultValue = "200")
    int maxStreams;

    private final AtomicInteger open = new AtomicInteger();
    private final OutageLog outages = new OutageLog(LOG, "Live updates");

    /**
     * Follows {@code clinician}'s workload on {@code sink} until {@code until}; false (and nothing
     * started) when this node already serves its maximum of streams.
     */
    public boolean follow(Actor clinician, Instant until, SseEventSink sink, Sse sse) {
        workloads.of(clinician); // refuses a caller who is not a clinician before anything starts
        if (open.incrementAndGet() > maxStreams) {
            open.decrementAndGet();
            return false;
        }
        Stream stream = new Stream(clinician, until, sink, sse);
        stream.future = executor.scheduleWithFixedDelay(stream::tick, 0, pollSeconds, TimeUnit.SECONDS);
        return true;
    }

    /** Streams open on this node. */
    public int openStreams() {
        return open.get();
    }

    private final class Stream {

        private final Actor clinician;
        private final Instant until;
        private final SseEventSink sink;
        private final Sse sse;
        private final AtomicBoolean closed = new AtomicBoolean();
        private volatile ScheduledFuture<?> future;
        private String last;
        private long quietTicks;

        Stream(Actor clinician, Instant until, SseEventSink sink, Sse sse) {
            this.clinician = clinician;
            this.until = until;
            this.sink = sink;
            this.sse = sse;
        }

        void tick() {
            if (closed.get()) {
                return;
            }
            if (sink.isClosed() || !clock.instant().isBefore(until)) {
                close();
                return;
            }
            try {
                Workloads.Workload now = workloads.of(clinician);
                outages.succeeded();
                if (!now.stamp().equals(last)) {
                    last = now.stamp();
                    quietTicks = 0;
                    send(sse.newEventBuilder().name("workload").id(now.stamp())
                            .mediaType(MediaType.APPLICATION_JSON_TYPE).data(Workloads.Workload.class, now).build());
                } else if (++quietTicks % HEARTBEAT_EVERY == 0) {
                    send(sse.newEventBuilder().comment("unchanged").build());
                }
            } catch (RuntimeException e) {
                if (!outages.outage(e)) { // an outage: the stream stays open and polls again
                    LOG.log(Level.FINE, "Live updates: a stream for " + clinician.id() + " ended", e);
                    close();
                }
            }
        }

        private void send(OutboundSseEvent event) {
            sink.send(event).whenComplete((done, failed) -> {
                if (failed != null) {
                    close();
                }
            });
        }

        void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.log(Level.FINEST, "closing a live stream", e);
            }
            open.decrementAndGet();
        }
    }
}
