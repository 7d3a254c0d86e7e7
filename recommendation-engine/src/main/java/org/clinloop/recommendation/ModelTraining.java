package org.clinloop.recommendation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.clinloop.audit.Actor;

/** Trains a CANDIDATE from the seeded synthetic cohort and registers it. Never activates. */
@ApplicationScoped
public class ModelTraining {

    /** Cohort size of a standard training run. */
    public static final int COHORT = 4000;
    public static final double LABEL_NOISE = 0.03;

    @Inject
    ModelRegistry registry;

    @Transactional
    public ModelVersion trainCandidate(long seed, Actor requestedBy) {
        TrainedModel trained = ModelTrainer.train(SyntheticCohort.generate(seed, COHORT, LABEL_NOISE), seed,
                "clinloop synthetic cohort seed=" + seed + " patients=" + COHORT + " labelNoise=" + LABEL_NOISE);
        return registry.register(trained, requestedBy);
    }
}
