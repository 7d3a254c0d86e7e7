package org.clinloop.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The seeded, open-loop plan of a population run: which readings are due when, how they travel
 * (a single {@code POST /fhir/Observation} or inside a gateway's transaction Bundle), when the
 * bursts are, which readings are sampled for decision lag, and each reading's patient and
 * measurement time. Everything is fixed before the first request, from the seed alone, so two runs
 * with the same arguments and seed send the same requests at the same offsets.
 *
 * <p><b>Rate.</b> Readings are due {@code 1 / rate} apart, ten times as often during a burst.
 * Each reading goes on its own with probability one half, else into the gateway's current Bundle,
 * whose size is drawn from 10..100; a Bundle is due when its last reading is (a gateway sends
 * what it has gathered), so the reading rate, not the request rate, is the one asked for. A Bundle
 * still open when the stream ends is sent then, smaller.
 *
 * <p><b>Bursts.</b> Ten seconds at ten times the rate; the first starts 60–90 s in, each next one
 * 120–180 s after the one before (seeded), as long as it ends within the stream.
 */
final class PopulationSchedule {

    /** How far apart one patient's readings are in measurement time: one reading per patient per 15 min. */
    static final Duration SPACING = Duration.ofMinutes(15);
    static final int BURST_FACTOR = 10;
    static final Duration BURST_LENGTH = Duration.ofSeconds(10);
    static final int MIN_BUNDLE = 10;
    static final int MAX_BUNDLE = 100;
    /** Share of readings whose decision lag is measured. */
    static final double LAG_SAMPLE = 0.01;
    /** The service decides only readings measured within this horizon (clinloop.decisions.horizon-hours). */
    static final Duration HORIZON = Duration.ofDays(7);

    /** A burst, in seconds from the start of the stream: [start, end). */
    record Burst(double start, double end) {
        boolean covers(double t) {
            return t >= start && t < end;
        }
    }

    /**
     * One request: due {@code dueNanos} after the start of the stream, carrying the given readings
     * (one for a single POST).
     */
    record Request(long dueNanos, boolean bundle, int[] readings, boolean inBurst) {
    }

    final int patients;
    final double rate;
    final int seconds;
    final long seed;
    final List<Burst> bursts;
    final List<Request> requests;
    /** Per reading: whether its decision lag is measured. */
    final boolean[] sampled;
    final int readings;

    private PopulationSchedule(int patients, double rate, int seconds, long seed, List<Burst> bursts,
                               List<Request> requests, boolean[] sampled) {
        this.patients = patients;
        this.rate = rate;
        this.seconds = seconds;
        this.seed = seed;
        this.bursts = List.copyOf(bursts);
        this.requests = List.copyOf(requests);
        this.sampled = sampled;
        this.readings = sampled.length;
    }

    static PopulationSchedule plan(int patients, double rate, int seconds, long seed) {
        if (patients < 1 || rate <= 0 || seconds < 1) {
            throw new IllegalArgumentException("expected patients >= 1, rate > 0 and a stream of at least 1 s, found "
                    + patients + ", " + rate + ", " + seconds + " s");
        }
        Random random = new Random(seed);
        List<Burst> bursts = new ArrayList<>();
        double start = 60 + random.nextInt(31);
        while (start + BURST_LENGTH.toSeconds() <= seconds) {
            bursts.add(new Burst(start, start + BURST_LENGTH.toSeconds()));
            start += 120 + random.nextInt(61);
        }

        List<Request> requests = new ArrayList<>();
        List<Boolean> sample = new ArrayList<>();
        List<Integer> open = new ArrayList<>();
        boolean openInBurst = false;
        int bundleSize = size(random);
        int i = 0;
        for (double t = 0; t < seconds; i++) {
            boolean burst = inBurst(bursts, t);
            long due = (long) (t * 1e9);
            sample.add(random.nextDouble() < LAG_SAMPLE);
            if (random.nextBoolean()) {
                requests.add(new Request(due, false, new int[] {i}, burst));
            } else {
                open.add(i);
                openInBurst |= burst;
                if (open.size() == bundleSize) {
                    requests.add(new Request(due, true, open.stream().mapToInt(Integer::intValue).toArray(), openInBurst));
                    open.clear();
                    openInBurst = false;
                    bundleSize = size(random);
                }
            }
            t += 1.0 / (burst ? rate * BURST_FACTOR : rate);
        }
        if (!open.isEmpty()) {
            requests.add(new Request(seconds * 1_000_000_000L, true, open.stream().mapToInt(Integer::intValue).toArray(),
                    openInBurst));
        }
        boolean[] sampled = new boolean[i];
        for (int k = 0; k < i; k++) {
            sampled[k] = sample.get(k);
        }
        return new PopulationSchedule(patients, rate, seconds, seed, bursts, requests, sampled);
    }

    private static int size(Random random) {
        return MIN_BUNDLE + random.nextInt(MAX_BUNDLE - MIN_BUNDLE + 1);
    }

    static boolean inBurst(List<Burst> bursts, double t) {
        for (Burst b : bursts) {
            if (b.covers(t)) {
                return true;
            }
        }
        return false;
    }

    /** Readings go to the patients in turn: a patient's next reading is the whole panel later, in order. */
    int patientOf(int reading) {
        return reading % patients;
    }

    /**
     * Where the measurement clock starts: the last reading is measured a minute before the stream starts
     * (never in the future, whatever the clocks' skew), the first one as long before as the stream needs.
     * Refused when that reaches beyond the decision horizon, where readings are stored but never decided.
     */
    Instant firstMeasurement(Instant streamStart) {
        Instant first = streamStart.minus(Duration.ofMinutes(1)).minusMillis(offsetMillis(readings));
        // The stream itself lasts `seconds`: the first reading must still be inside the horizon when it is sent.
        Duration oldest = Duration.between(first, streamStart).plusSeconds(seconds).plusMinutes(10);
        if (oldest.compareTo(HORIZON) >= 0) {
            throw new IllegalArgumentException("expected the stream's measurement times to fit in the last "
                    + HORIZON.toDays() + " days, found " + readings + " readings for " + patients + " patients ("
                    + readings / patients + " each, " + SPACING.toMinutes() + " min apart): use more patients, a lower"
                    + " rate or a shorter stream");
        }
        return first.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /**
     * When reading i was measured. Readings go to the patients in turn, and
     * reading i is measured at {@code first + i × SPACING / patients}: patient p's k-th reading (reading
     * {@code k × patients + p}) at {@code first + k × SPACING + p × SPACING / patients}. So each patient's
     * readings are exactly SPACING apart, the patients' phases are spread evenly over those 15 minutes, as a
     * population's cuffs would be, and the measurement times of the whole stream only ever increase. At the
     * whole population's rate the clock of these few patients runs faster than the wall clock (10,000
     * patients at 100,000 patients' rate: 15 min per ~91 s), so it cannot start now; it starts as far in the
     * past as the stream needs (see {@link #firstMeasurement}).
     *
     * <p>Exactly SPACING, not less: the service defers a reading measured within its quiet period (15 min of
     * measurement time after the reading behind the patient's last proposal) until 15 min of wall time after
     * that proposal. A reading a full SPACING later is decided at once, so decision lag measures the pipeline
     * and not the quiet period, whose purpose is to gather readings sent closer together than this.
     */
    Instant measuredAt(Instant first, int reading) {
        return first.plusMillis(offsetMillis(reading));
    }

    /** Reading i's measurement time after the first: whole rounds of SPACING, plus the patient's phase. */
    private long offsetMillis(int reading) {
        return (long) (reading / patients) * SPACING.toMillis() + (long) (reading % patients) * (SPACING.toMillis() / patients);
    }

    double burstSeconds() {
        return bursts.size() * BURST_LENGTH.toSeconds();
    }
}
