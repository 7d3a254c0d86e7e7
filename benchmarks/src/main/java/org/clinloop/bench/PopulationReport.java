package org.clinloop.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.clinloop.bench.IngestTally.Figures;
import org.clinloop.bench.IngestTally.Kind;
import org.clinloop.bench.IngestTally.Phase;
import org.clinloop.bench.OutboxGauges.Sample;

/**
 * The end of a population run: the figures over the whole stream, how long the outbox took to
 * drain after each burst and after the stream, stored against acknowledged readings, and the issue's
 * targets beside what was measured.
 *
 * <p><b>Drained after a burst.</b> While readings keep arriving at the sustained rate the outbox is
 * rarely exactly empty (readings just acknowledged wait for a worker for a moment), so a burst counts as
 * drained when the outbox holds no more readings than it did before the burst (the median of the 30 s
 * before it), provided that was less than one second's worth of arrivals (the pipeline was keeping up).
 * Seen exactly empty also counts, and its first moment is printed. After the stream, drained means empty.
 */
record PopulationReport(PopulationSchedule plan, IngestTally tally, List<Sample> series, DecisionLag lag,
                        double streamEnded, Double drainedAfterStream, double decisions, Sample end, long maxRssKb,
                        long stored) {

    static final double INGEST_P99_MS = 200;
    static final double LAG_P99_S = 60;
    static final double DRAIN_S = 120;

    /** Rows in the service's observation table for this run's patients. */
    static long stored(String jdbc, List<String> patients) throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM observation WHERE patient_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", patients.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** How one burst's backlog went. */
    record Drain(PopulationSchedule.Burst burst, double before, Double back, Double empty) {
        /** Seen empty within 2 min, or back to a pre-burst depth under a second of arrivals within 2 min. */
        boolean met(double rate) {
            return empty != null && empty <= DRAIN_S || back != null && back <= DRAIN_S && before < rate;
        }
    }

    List<Drain> drains() {
        List<Drain> out = new ArrayList<>();
        for (PopulationSchedule.Burst b : plan.bursts) {
            double[] before = series.stream().filter(s -> s.at() >= b.start() - 30 && s.at() < b.start())
                    .mapToDouble(Sample::readings).sorted().toArray();
            double base = before.length == 0 ? 0 : before[before.length / 2];
            Double back = null;
            Double empty = null;
            for (Sample s : series) {
                if (s.at() < b.end()) {
                    continue;
                }
                if (back == null && s.readings() <= base) {
                    back = s.at() - b.end();
                }
                if (empty == null && s.empty()) {
                    empty = s.at() - b.end();
                }
            }
            out.add(new Drain(b, base, back, empty));
        }
        return out;
    }

    /** Prints everything; true unless an acknowledged reading is missing. */
    boolean print() {
        System.out.println();
        System.out.println("== Population run: results ==");
        System.out.println("Ingest latency: from when each request was due (open-loop schedule) to its answer,"
                + " acknowledged requests only. Sustained = due at the sustained rate after the warm-up: steady"
                + " (before the first burst) and after a burst (while its backlog may still be draining).");
        System.out.println("| request | phase | requests | p50 ms | p99 ms |");
        System.out.println("|---|---|---|---|---|");
        for (Kind k : Kind.values()) {
            row(k, "sustained", Phase.STEADY, Phase.AFTER_BURST);
            row(k, "  steady", Phase.STEADY);
            row(k, "  after a burst", Phase.AFTER_BURST);
            row(k, "burst", Phase.BURST);
            row(k, "warm-up", Phase.WARM_UP);
        }
        long acked = tally.acknowledged();
        System.out.printf(Locale.ROOT, "Errors: single %d, Bundle %d; not sent (due over %d s before a client thread"
                        + " was free): single %d, Bundle %d%n", tally.errors(Kind.SINGLE), tally.errors(Kind.BUNDLE),
                PopulationLoad.LATE_LIMIT.toSeconds(), tally.notSent(Kind.SINGLE), tally.notSent(Kind.BUNDLE));
        System.out.printf(Locale.ROOT, "Rate: %d of %d readings acknowledged, %.1f readings/s over %.1f s up to the last answer (asked: %.0f/s,"
                        + " %.0f/s in bursts; %.1f/s on average with the bursts)%n", acked, plan.readings,
                acked / streamEnded, streamEnded, plan.rate, plan.rate * PopulationSchedule.BURST_FACTOR,
                plan.readings / (double) plan.seconds);

        DecisionLag.Figures lagFigures = lag.figures();
        System.out.println("Decision lag (" + (int) (PopulationSchedule.LAG_SAMPLE * 100) + " % seeded sample; from the"
                + " 201 read here to the recorded_at of the PROPOSAL_MADE/_SKIPPED entry covering it): "
                + DecisionLag.describe(lagFigures));

        List<Drain> drains = drains();
        for (Drain d : drains) {
            System.out.printf(Locale.ROOT, "Burst %.0f-%.0f s: outbox before it %.0f readings (median of 30 s); back to"
                            + " that %s after the burst; seen empty %s after it%n", d.burst().start(), d.burst().end(),
                    d.before(), seconds(d.back()), seconds(d.empty()));
        }
        System.out.printf(Locale.ROOT, "After the stream: outbox empty %s after the last answer%s%n",
                seconds(drainedAfterStream), drainedAfterStream == null ? " (gave up after "
                        + PopulationLoad.DRAIN_LIMIT.toMinutes() + " min: " + end.patients() + " patients, "
                        + end.readings() + " readings pending)" : "");

        System.out.printf(Locale.ROOT, "Decisions: %.0f during the run, %.3f per acknowledged reading; coalescing ratio"
                        + " (service, all time) %.2f; readings covered by this run's decisions %d of %d acknowledged%n",
                decisions, acked == 0 ? Double.NaN : decisions / acked, end.coalescing(), lag.readingsCovered(), acked);
        System.out.printf(Locale.ROOT, "Service resident memory: %s MB at most (scraped each second from the stream to the drain), %s MB at the end%n",
                maxRssKb < 0 ? "n/a" : String.valueOf(maxRssKb / 1024), end.rssKb() < 0 ? "n/a"
                        : String.valueOf(end.rssKb() / 1024));
        boolean lost = stored < acked;
        System.out.printf(Locale.ROOT, "Stored: %d rows in the observation table for this run's patients, %d readings"
                        + " acknowledged: %s%n", stored, acked, lost ? "LOST " + (acked - stored) + " acknowledged readings"
                        : stored == acked ? "nothing lost"
                        : (stored - acked) + " stored beyond those acknowledged (failed requests may have committed)");

        System.out.println();
        System.out.println("| target (issue 13, population goal) | measured | |");
        System.out.println("|---|---|---|");
        Figures single = tally.figures(Kind.SINGLE, Phase.STEADY, Phase.AFTER_BURST);
        Figures bundle = tally.figures(Kind.BUNDLE, Phase.STEADY, Phase.AFTER_BURST);
        Figures singleSteady = tally.figures(Kind.SINGLE, Phase.STEADY);
        Figures bundleSteady = tally.figures(Kind.BUNDLE, Phase.STEADY);
        boolean ingestMet = single.requests() > 0 && single.p99Micros() < INGEST_P99_MS * 1000
                && (bundle.requests() == 0 || bundle.p99Micros() < INGEST_P99_MS * 1000);
        target("ingest p99 < 200 ms at the sustained rate", "single " + ms(single.p99Micros()) + " ms, Bundle "
                + ms(bundle.p99Micros()) + " ms (before the first burst: " + ms(singleSteady.p99Micros()) + " / "
                + ms(bundleSteady.p99Micros()) + " ms)", ingestMet);
        target("decision lag p99 < 60 s", lagFigures.decided() == 0 ? "n/a"
                : String.format(Locale.ROOT, "%.1f s (%d sampled readings decided of %d)", lagFigures.p99Millis() / 1000.0,
                lagFigures.decided(), lagFigures.sampled()),
                lagFigures.decided() > 0 && lagFigures.decided() == lagFigures.sampled()
                        && lagFigures.p99Millis() < LAG_P99_S * 1000);
        boolean drainMet = drains.stream().allMatch(d -> d.met(plan.rate));
        String worst = drains.isEmpty() ? "no burst in this run" : drains.stream().map(d -> "back " + seconds(d.back())
                + ", empty " + seconds(d.empty())).toList() + " after each burst";
        target("outbox back to empty within 2 min of a burst", worst + "; after the stream "
                + seconds(drainedAfterStream), !drains.isEmpty() && drainMet && drainedAfterStream != null
                && drainedAfterStream <= DRAIN_S);
        target("nothing lost (stored >= acknowledged)", stored + " stored, " + acked + " acknowledged", !lost);
        return !lost;
    }

    private void row(Kind kind, String phase, Phase... phases) {
        Figures f = tally.figures(kind, phases);
        System.out.printf(Locale.ROOT, "| %s | %s | %d | %s | %s |%n", kind == Kind.SINGLE ? "single POST"
                : "Bundle of 10-100", phase, f.requests(), ms(f.p50Micros()), ms(f.p99Micros()));
    }

    private static void target(String what, String measured, boolean met) {
        System.out.printf(Locale.ROOT, "| %s | %s | %s |%n", what, measured, met ? "met" : "NOT MET");
    }

    private static String ms(long micros) {
        return micros < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static String seconds(Double s) {
        return s == null ? "never (within this run)" : String.format(Locale.ROOT, "%.0f s", s);
    }
}
