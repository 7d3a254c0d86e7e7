package org.clinloop.recommendation;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

/**
 * One proposal's cost on one core: feature extraction + prediction, the whole
 * {@link Recommender#recommend(TitrationModel, PatientSnapshot)} (with input hash and the exact
 * explanation sentence), and the explanation alone, each against bare Tribuo
 * {@code Model.predict} on a prepared example (the limit). Snapshots come from the seeded cohort.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class RecommendationBenchmark {

    private TitrationModel model;
    private List<SyntheticCohort.Example> examples;
    private ArrayExample<Label>[] prepared;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void setUp() {
        long seed = 20261123L;
        TrainedModel trained = ModelTrainer.train(SyntheticCohort.generate(seed, 4000, 0.03), seed, "benchmark");
        model = new TitrationModel(trained.model(), trained.magnitude(), new ModelVersion("bench-1",
                trained.algorithm(), ModelStatus.ACTIVE,
                trained.provenanceHash(), trained.datasetHash(), seed, Instant.now(), trained.metrics(), "bench",
                Instant.now()));
        examples = SyntheticCohort.generate(seed + 1, 1024, 0.0);
        prepared = new ArrayExample[examples.size()];
        for (int i = 0; i < prepared.length; i++) {
            prepared[i] = TitrationModel.example(examples.get(i).features());
        }
    }

    private int index() {
        next = (next + 1) & 1023;
        return next;
    }

    @Benchmark
    public Object limitPredict() {
        return model.tribuoModel().predict(prepared[index()]);
    }

    @Benchmark
    public Map<Direction, Double> extractAndPredict() {
        return model.probabilities(FeatureExtractor.extract(examples.get(index()).snapshot()));
    }

    @Benchmark
    public Recommendation recommendWithExplanation() {
        return Recommender.recommend(model, examples.get(index()).snapshot());
    }

    @Benchmark
    public Explanation explainOnly() {
        return model.explain(examples.get(index()).features());
    }
}
