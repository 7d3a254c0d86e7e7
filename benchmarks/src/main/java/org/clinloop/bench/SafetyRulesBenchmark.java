package org.clinloop.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.clinloop.approval.AutoChangeHistory;
import org.clinloop.approval.AutonomyState;
import org.clinloop.approval.BoundsCheck;
import org.clinloop.approval.ClinicalContext;
import org.clinloop.approval.DecisionContext;
import org.clinloop.approval.ProposedStep;
import org.clinloop.approval.ProtocolLimits;
import org.clinloop.approval.SafetyBounds;
import org.clinloop.approval.SafetyRules;
import org.clinloop.approval.TierDecision;
import org.clinloop.recommendation.BloodPressureReading;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Tier decisions per second on one core: the Drools rule set (a stateless session per decision,
 * with the Java safety net) against the hand-written Java check of the same bounds (the limit),
 * with 1 or 10,000 patients' bounds and contexts held in memory and decided in random order.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class SafetyRulesBenchmark {

    static final ProtocolLimits LIMITS = ProtocolLimits.HYPERTENSION_ACEI;

    @Param({"1", "10000"})
    int patients;

    SafetyRules rules;
    SafetyBounds[] bounds;
    DecisionContext[] contexts;
    ProposedStep[] steps;
    Random pick = new Random(3);

    @Setup(Level.Trial)
    public void load() {
        rules = SafetyRules.standard();
        Random rng = new Random(11);
        Instant now = Instant.parse("2026-11-20T08:00:00Z");
        bounds = new SafetyBounds[patients];
        contexts = new DecisionContext[patients];
        steps = new ProposedStep[patients];
        for (int i = 0; i < patients; i++) {
            bounds[i] = new SafetyBounds("p-" + i, 1, LIMITS.protocol(), 0, 1 + rng.nextInt(4), 1, 95 + rng.nextInt(20),
                    0.5 + 0.4 * rng.nextDouble(), rng.nextDouble() < 0.8, 3 + rng.nextInt(5), 1 + rng.nextInt(3),
                    "dr.bench", now.minus(Duration.ofDays(30)));
            BloodPressureReading r = new BloodPressureReading("o-" + i, now, 100 + rng.nextInt(90), 60 + rng.nextInt(50));
            contexts[i] = new DecisionContext(r, List.of(r), new AutonomyState(3, 3, rng.nextDouble() < 0.7),
                    new AutoChangeHistory(rng.nextBoolean() ? null : now.minus(Duration.ofDays(rng.nextInt(20))),
                            rng.nextInt(3)), ClinicalContext.UNKNOWN, now);
            int from = rng.nextInt(5);
            steps[i] = new ProposedStep(from, from + rng.nextInt(3) - 1, rng.nextDouble());
        }
    }

    @Benchmark
    public TierDecision droolsDecision() {
        int i = pick.nextInt(patients);
        return rules.evaluate(steps[i], bounds[i], LIMITS, contexts[i]);
    }

    @Benchmark
    public boolean limitJavaBoundsCheck() {
        int i = pick.nextInt(patients);
        return BoundsCheck.autonomousAllowed(steps[i], bounds[i], LIMITS, contexts[i]);
    }
}
