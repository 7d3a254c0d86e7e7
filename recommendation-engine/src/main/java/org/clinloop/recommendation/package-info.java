/**
 * The recommendation engine: from a patient's recent readings and current regimen to a proposed
 * titration step, with the model version and provenance that produced it.
 *
 * <p>Public surface: {@link org.clinloop.recommendation.Recommender} proposes,
 * {@link org.clinloop.recommendation.PatientSnapshot} is what it sees,
 * {@link org.clinloop.recommendation.Recommendation} is what it says,
 * {@link org.clinloop.recommendation.ModelRegistry} holds model versions and their lifecycle.
 * {@link org.clinloop.recommendation.SyntheticCohort} and
 * {@link org.clinloop.recommendation.TitrationPolicy} generate the seeded training data;
 * {@link org.clinloop.recommendation.ModelTrainer} turns it into a registered candidate, with
 * held-out metrics overall and per patient group ({@link org.clinloop.recommendation.GroupMetrics});
 * {@link org.clinloop.recommendation.PromotionGates} decide whether it may be activated.
 *
 * <p>Model stewardship: {@link org.clinloop.recommendation.TitrationModel#explain} says why a
 * model proposes what it does ({@link org.clinloop.recommendation.Explanation}, exact for the
 * logistic regression); {@link org.clinloop.recommendation.TrainerComparison} measures candidate
 * trainers on one seeded split, calibration included, and names the one a stated rule picks;
 * {@link org.clinloop.recommendation.Drift} compares the population a model now sees with the one
 * it was validated on ({@link org.clinloop.recommendation.DriftReport}).
 *
 * <p>What the engine's proposals leave in the audit log, PROPOSAL_MADE, is read back only as
 * {@link org.clinloop.recommendation.ProposalRecorded} (versioned, with golden files): by
 * {@link org.clinloop.recommendation.DriftMonitor} here, by decision replay and the FHIR
 * Provenance view above.
 *
 * <p>The engine never acts: a recommendation becomes a dose change only through the safety
 * rules of {@code approval-workflow}.
 */
package org.clinloop.recommendation;
