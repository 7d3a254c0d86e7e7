package org.clinloop.recommendation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongFunction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.ensemble.FullyWeightedVotingCombiner;
import org.tribuo.common.tree.RandomForestTrainer;

/**
 * Several Tribuo trainers on the same seeded split of the same examples, measured the same way
 * ({@link ModelTrainer#train(List, long, String, Trainer, String)}), and the one a stated
 * {@link SelectionRule} picks.
 *
 * <p>Candidates are listed simplest first, because the rule breaks near-ties in favour of the
 * simpler model: logistic regression gives exact per-feature explanations
 * ({@link TitrationModel#explain}), a single tree can at least be read, a forest neither.
 *
 * @param seed        seed of the split and of every trainer
 * @param datasetHash {@link ModelTrainer#datasetHash} of the examples
 * @param entries     one per candidate, in candidate order
 * @param chosen      the entry the rule picks; empty when no candidate is calibrated well enough
 * @param reason      why, in one sentence
 */
public record TrainerComparison(long seed, String datasetHash, List<Entry> entries, Optional<Entry> chosen,
                                String reason) {

    public TrainerComparison {
        entries = List.copyOf(entries);
        Objects.requireNonNull(chosen, "Chosen entry is required (empty when none qualifies).");
    }

    /**
     * A trainer to compare.
     *
     * @param name      short name for tables, e.g. {@code logistic-regression}
     * @param algorithm description recorded with the model, as {@link TrainedModel#algorithm()}
     * @param trainer   builds a fresh, seeded trainer for one training run
     */
    public record Candidate(String name, String algorithm, LongFunction<Trainer<Label>> trainer) {
    }

    /**
     * A trained candidate with its held-out metrics.
     *
     * @param name    the candidate's name
     * @param trained the model, its provenance and metrics
     */
    public record Entry(String name, TrainedModel trained) {

        public double metric(String key) {
            Double v = trained.metrics().get(key);
            if (v == null) {
                throw new IllegalArgumentException("No metric named " + key + "; known: " + trained.metrics().keySet());
            }
            return v;
        }
    }

    /**
     * How the model is chosen: among candidates whose expected calibration error is at most
     * {@code maxEce}, the best held-out macro-F1 wins; a candidate within {@code macroF1Tolerance}
     * of that best counts as tied, and ties go to the candidate listed first (the simpler one).
     * Calibration is a precondition because clinicians read the probability of every proposal.
     *
     * @param maxEce           largest acceptable expected calibration error (10 bins)
     * @param macroF1Tolerance macro-F1 difference treated as a tie
     */
    public record SelectionRule(double maxEce, double macroF1Tolerance) {

        /** ECE at most 0.10; macro-F1 within 0.01 of the best is a tie. */
        public static final SelectionRule DEFAULT = new SelectionRule(0.10, 0.01);

        public SelectionRule {
            if (!(maxEce > 0) || !(macroF1Tolerance >= 0)) {
                throw new IllegalArgumentException("Expected maxEce > 0 and macroF1Tolerance >= 0, found " + maxEce
                        + " and " + macroF1Tolerance + ".");
            }
        }
    }

    /** CART depth: deep enough for the policy's two thresholds, shallow enough for calibrated leaves. */
    static final int CART_DEPTH = 6;
    static final int FOREST_TREES = 50;

    /**
     * Logistic regression (the production trainer), a CART tree of depth {@value #CART_DEPTH},
     * and a random forest of {@value #FOREST_TREES} CART trees (each split on a random half of the
     * features, bootstrap samples, class probabilities averaged), in that order.
     */
    public static List<Candidate> standardCandidates() {
        return List.of(
                new Candidate("logistic-regression", ModelTrainer.LOGISTIC_REGRESSION, ModelTrainer::logisticRegression),
                new Candidate("cart", "CARTClassificationTrainer(maxDepth=" + CART_DEPTH + ", gini)",
                        seed -> new CARTClassificationTrainer(CART_DEPTH, 1.0f, seed)),
                new Candidate("random-forest", "RandomForestTrainer(" + FOREST_TREES
                        + " x CART(maxDepth=12, features 0.5), FullyWeightedVotingCombiner)",
                        seed -> new RandomForestTrainer<>(new CARTClassificationTrainer(12, 0.5f, seed),
                                new FullyWeightedVotingCombiner(), FOREST_TREES, seed)));
    }

    /** The {@link #standardCandidates()} under the {@link SelectionRule#DEFAULT default rule}. */
    public static TrainerComparison run(List<SyntheticCohort.Example> examples, long seed, String dataDescription) {
        return run(examples, seed, dataDescription, standardCandidates(), SelectionRule.DEFAULT);
    }

    public static TrainerComparison run(List<SyntheticCohort.Example> examples, long seed, String dataDescription,
                                        List<Candidate> candidates, SelectionRule rule) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one candidate trainer, found none.");
        }
        List<Entry> entries = new ArrayList<>();
        for (Candidate c : candidates) {
            entries.add(new Entry(c.name(), ModelTrainer.train(examples, seed, dataDescription,
                    c.trainer().apply(seed), c.algorithm())));
        }
        return choose(seed, ModelTrainer.datasetHash(examples), entries, rule);
    }

    static TrainerComparison choose(long seed, String datasetHash, List<Entry> entries, SelectionRule rule) {
        List<Entry> calibrated = entries.stream().filter(e -> e.metric("ece") <= rule.maxEce()).toList();
        if (calibrated.isEmpty()) {
            return new TrainerComparison(seed, datasetHash, entries, Optional.empty(), String.format(Locale.ROOT,
                    "Expected a candidate with ECE <= %.2f, found none (lowest %.3f).", rule.maxEce(),
                    entries.stream().mapToDouble(e -> e.metric("ece")).min().orElseThrow()));
        }
        Entry best = calibrated.get(0);
        for (Entry e : calibrated) {
            if (e.metric("macro_f1") > best.metric("macro_f1")) {
                best = e;
            }
        }
        double bestF1 = best.metric("macro_f1");
        Entry chosen = calibrated.stream().filter(e -> e.metric("macro_f1") >= bestF1 - rule.macroF1Tolerance())
                .findFirst().orElseThrow();
        String reason = chosen == best
                ? String.format(Locale.ROOT, "%s: best macro-F1 %.3f among candidates with ECE <= %.2f (its ECE %.3f).",
                        chosen.name(), bestF1, rule.maxEce(), chosen.metric("ece"))
                : String.format(Locale.ROOT, "%s: macro-F1 %.3f is within %.3f of the best, %s %.3f, and it is "
                        + "simpler (ECE %.3f <= %.2f).", chosen.name(), chosen.metric("macro_f1"),
                        rule.macroF1Tolerance(), best.name(), bestF1, chosen.metric("ece"), rule.maxEce());
        return new TrainerComparison(seed, datasetHash, entries, Optional.of(chosen), reason);
    }

    /** The comparison as a fixed-width text table, the chosen row marked with {@code *}, then the reason. */
    public String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "%-22s %8s %8s %25s %25s %7s %7s%n", "trainer (seed " + seed + ")", "accuracy", "macroF1",
                "precision D / H / I", "recall D / H / I", "Brier", "ECE"));
        for (Entry e : entries) {
            boolean isChosen = chosen.isPresent() && chosen.get() == e;
            out.append(String.format(Locale.ROOT, "%-22s %8.4f %8.4f %25s %25s %7.4f %7.4f%n",
                    (isChosen ? "* " : "  ") + e.name(), e.metric("accuracy"), e.metric("macro_f1"),
                    perClass(e.trained().metrics(), "precision_"), perClass(e.trained().metrics(), "recall_"),
                    e.metric("brier"), e.metric("ece")));
        }
        return out.append(reason).append(System.lineSeparator()).toString();
    }

    private static String perClass(Map<String, Double> metrics, String prefix) {
        return String.format(Locale.ROOT, "%.3f / %.3f / %.3f", metrics.get(prefix + "decrease"),
                metrics.get(prefix + "hold"), metrics.get(prefix + "increase"));
    }
}
