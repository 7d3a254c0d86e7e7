package org.clinloop.bench;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the population stream's requests came to, per kind of request (single POST or Bundle) and
 * phase (warm-up, sustained rate, burst): latencies of the acknowledged ones, readings acknowledged,
 * failed requests, and requests never sent because the client had fallen too far behind its
 * schedule. Latency runs from when a request was <i>due</i> to its answer, so time a request spent
 * waiting for a free client thread counts against the service (no coordinated omission). Thread-safe;
 * also hands out the figures since the last {@link #interval()} for the periodic report.
 */
final class IngestTally {

    enum Kind { SINGLE, BUNDLE }

    /**
     * When a request was due: the first seconds (warm-up), at the sustained rate before the first burst
     * (steady), in a burst, or at the sustained rate after a burst (when a backlog may still be draining).
     */
    enum Phase { WARM_UP, STEADY, BURST, AFTER_BURST }

    /** Percentiles and counts of one kind, over some span. */
    record Figures(long requests, long p50Micros, long p99Micros) {
    }

    /** The periodic report's view: since the previous interval. */
    record Interval(double seconds, long readings, Figures single, Figures bundle, long errors) {
        double readingsPerSecond() {
            return readings / seconds;
        }
    }

    private static final class Micros {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        Figures figures(int from) {
            long[] sorted = Arrays.copyOfRange(values, from, size);
            Arrays.sort(sorted);
            return new Figures(sorted.length, LoadStep.percentile(sorted, 0.50), LoadStep.percentile(sorted, 0.99));
        }
    }

    private final Map<Kind, Map<Phase, Micros>> latencies = new EnumMap<>(Kind.class);
    private final Map<Kind, Micros> all = new EnumMap<>(Kind.class);
    private final Map<Kind, Integer> intervalFrom = new EnumMap<>(Kind.class);
    private final long[] errors = new long[Kind.values().length];
    private final long[] notSent = new long[Kind.values().length];
    private long acknowledged;
    private long intervalReadings;
    private long intervalErrors;
    private long intervalStarted = System.nanoTime();
    private int printedErrors;

    IngestTally() {
        for (Kind k : Kind.values()) {
            Map<Phase, Micros> byPhase = new EnumMap<>(Phase.class);
            for (Phase p : Phase.values()) {
                byPhase.put(p, new Micros());
            }
            latencies.put(k, byPhase);
            all.put(k, new Micros());
            intervalFrom.put(k, 0);
        }
    }

    synchronized void acknowledged(Kind kind, Phase phase, long micros, int readings) {
        latencies.get(kind).get(phase).add(micros);
        all.get(kind).add(micros);
        acknowledged += readings;
        intervalReadings += readings;
    }

    /** A request answered with an error, refused in part, or not answered; the first few are printed. */
    synchronized void failed(Kind kind, String why) {
        errors[kind.ordinal()]++;
        intervalErrors++;
        if (printedErrors++ < 5) {
            System.err.println("error (" + kind.name().toLowerCase() + "): " + why);
        }
    }

    /** A request not sent: when a client thread was free for it, it was due too long ago. */
    synchronized void late(Kind kind) {
        notSent[kind.ordinal()]++;
        intervalErrors++;
    }

    synchronized Interval interval() {
        long now = System.nanoTime();
        Interval i = new Interval((now - intervalStarted) / 1e9, intervalReadings,
                all.get(Kind.SINGLE).figures(intervalFrom.get(Kind.SINGLE)),
                all.get(Kind.BUNDLE).figures(intervalFrom.get(Kind.BUNDLE)), intervalErrors);
        for (Kind k : Kind.values()) {
            intervalFrom.put(k, all.get(k).size);
        }
        intervalStarted = now;
        intervalReadings = 0;
        intervalErrors = 0;
        return i;
    }

    /** Percentiles over the requests of the given phases together. */
    synchronized Figures figures(Kind kind, Phase... phases) {
        Micros merged = new Micros();
        for (Phase p : phases) {
            Micros m = latencies.get(kind).get(p);
            for (int i = 0; i < m.size; i++) {
                merged.add(m.values[i]);
            }
        }
        return merged.figures(0);
    }

    synchronized long acknowledged() {
        return acknowledged;
    }

    synchronized long errors(Kind kind) {
        return errors[kind.ordinal()];
    }

    synchronized long notSent(Kind kind) {
        return notSent[kind.ordinal()];
    }
}
