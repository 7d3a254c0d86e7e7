package org.clinloop.recommendation;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Training the production trainer on 100,000 synthetic examples: wall time per run, and
 * (with the gc profiler) bytes allocated per run; the limit is one hashing pass over the same
 * examples (what any training run must at least read).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(value = 1, jvmArgs = {"-Xms4g", "-Xmx4g"})
public class TrainingBenchmark {

    private List<SyntheticCohort.Example> examples;

    @Setup(Level.Trial)
    public void setUp() {
        examples = SyntheticCohort.generate(7L, 100_000, 0.03);
    }

    @Benchmark
    public TrainedModel train100k() {
        return ModelTrainer.train(examples, 7L, "100k benchmark");
    }

    @Benchmark
    public String limitHashOnly() {
        return ModelTrainer.datasetHash(examples);
    }
}
