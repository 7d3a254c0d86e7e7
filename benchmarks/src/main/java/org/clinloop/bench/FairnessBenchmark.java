package org.clinloop.bench;

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.clinloop.fairness.AuditSettings;
import org.clinloop.fairness.FairnessAudit;
import org.clinloop.fairness.FairnessReport;
import org.clinloop.fairness.FairnessTable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A full Aequitas audit of a million rows with four attributes (disparities, Fisher tests,
 * parities) against the least any group audit must do: one pass counting the rows per group.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class FairnessBenchmark {

    @Param("1000000")
    int rows;

    FairnessTable table;

    @Setup(Level.Trial)
    public void table() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        long before = rt.totalMemory() - rt.freeMemory();
        Random rng = new Random(42);
        String[] sex = {"female", "male"};
        String[] age = {"<45", "45-64", "65-74", "75+"};
        String[] race = {"White", "Black or African American", "Asian", "American Indian or Alaska Native",
            "Native Hawaiian or Other Pacific Islander", "Other Race"};
        String[] device = {"wrist-ppg", "upper-arm-cuff", "finger-ppg"};
        table = new FairnessTable(List.of("sex", "age_band", "race", "device_type"));
        for (int i = 0; i < rows; i++) {
            int r = rng.nextInt(race.length);
            boolean label = rng.nextDouble() < 0.45;
            boolean score = rng.nextDouble() < (label ? 0.7 : 0.25) + 0.03 * r;
            table.add(score, label, sex[rng.nextInt(2)], age[rng.nextInt(4)], race[r], device[rng.nextInt(3)]);
        }
        System.gc();
        long after = rt.totalMemory() - rt.freeMemory();
        System.out.printf("%n[fairness] table of %d rows x 4 attributes holds about %.1f MB of heap%n", rows,
                (after - before) / 1e6);
    }

    @Benchmark
    public FairnessReport audit() {
        return FairnessAudit.audit(table, AuditSettings.AEQUITAS_DEFAULTS);
    }

    @Benchmark
    public FairnessReport auditWithIntersections() {
        return FairnessAudit.audit(table, AuditSettings.AEQUITAS_DEFAULTS
                .withIntersections(List.of(List.of("race", "sex"), List.of("age_band", "sex"))));
    }

    @Benchmark
    public long[][] limitCountRowsPerGroup() {
        return table.groupSizes();
    }
}
