package org.clinloop.it;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.FhirJson;

/**
 * Blood-pressure readings posted at a server from several threads until it goes away, and every
 * reading it answered 201. Readings are a minute apart in measurement time, from 48 hours ago:
 * most wait out a proposal's quiet period in the outbox, every fifteenth is decided at once with
 * those waiting, so a kill meets both.
 */
final class ReadingStream {

    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final AtomicInteger sent = new AtomicInteger();
    final Instant start = Instant.now().minus(Duration.ofHours(48)).truncatedTo(ChronoUnit.MINUTES);
    /** Sees every answer (a test may check the refusals' shape); set before streaming. */
    volatile Consumer<ClinLoopClient.Reply> observer = r -> { };
    static final long PAUSE_MILLIS = 200;
    private final AtomicInteger minute = new AtomicInteger();
    private final List<ClinLoopClient> apis;
    private final Supplier<String> token;

    ReadingStream(ClinLoopClient api, Supplier<String> token) {
        this(List.of(api), token);
    }

    /** Readings sent to each of {@code apis} in turn (several nodes of one service). */
    ReadingStream(List<ClinLoopClient> apis, Supplier<String> token) {
        this.apis = List.copyOf(apis);
        this.token = token;
    }

    /**
     * Moves the measurement time of the next readings {@code minutes} ahead, past a reading the test
     * sent itself (one that flushed every quiet period), so that they are decided as new readings.
     */
    void skip(int minutes) {
        minute.addAndGet(minutes);
    }

    /** The measurement minute of the last reading sent. */
    int minutes() {
        return minute.get();
    }

    /** Starts one thread per group of patients; {@link Round#awaitDown} ends the round once the server is gone. */
    Round stream(List<List<String>> groups) {
        AtomicBoolean down = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (List<String> patients : groups) {
            Thread thread = new Thread(() -> post(patients, down));
            thread.start();
            threads.add(thread);
        }
        return new Round(down, threads);
    }

    /**
     * Waits until {@code count} more readings than now have been acknowledged (at most {@code limit}),
     * then {@code extraMillis}: a kill meets readings in flight, however slow the machine.
     */
    void awaitAcknowledged(int count, Duration limit, long extraMillis) throws InterruptedException {
        int target = acknowledged.size() + count;
        Instant until = Instant.now().plus(limit);
        while (acknowledged.size() < target) {
            if (Instant.now().isAfter(until)) {
                throw new IllegalStateException("Expected " + count + " readings acknowledged within " + limit + ", found "
                        + (acknowledged.size() - target + count) + " of " + sent.get() + " sent");
            }
            Thread.sleep(100);
        }
        Thread.sleep(extraMillis);
    }

    record Round(AtomicBoolean down, List<Thread> threads) {
        void awaitDown() throws InterruptedException {
            down.set(true);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
        }
    }

    /**
     * Posts readings for the patients in turn until the round ends; records every 201. A request
     * that fails (the server was killed, or a loaded machine let it time out) or is answered 503 was
     * never acknowledged.
     */
    private void post(List<String> patients, AtomicBoolean down) {
        while (!down.get()) {
            int m = minute.incrementAndGet();
            if (m > 40 * 60) {
                return; // measurement times stay well in the past, however fast the server answers
            }
            for (String p : patients) {
                int n = sent.incrementAndGet();
                try {
                    ClinLoopClient.Reply r = apis.get(n % apis.size()).post("/fhir/Observation", token.get(), ClinLoopClient.FHIR_JSON,
                            FhirJson.bloodPressure(p, start.plus(Duration.ofMinutes(m)), 140 + m % 15, 90).toString());
                    observer.accept(r);
                    if (r.status() == 201) {
                        acknowledged.add(r.json().get("id").asText());
                    } else if (r.status() == 503) {
                        pause(); // refused for now (e.g. the database is down): not acknowledged; the stream goes on
                    }
                } catch (IllegalStateException e) {
                    pause(); // not acknowledged; the round may not be over
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(PAUSE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
