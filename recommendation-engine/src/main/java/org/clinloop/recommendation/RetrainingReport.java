package org.clinloop.recommendation;

import java.util.List;
import java.util.Map;

/**
 * What clinician feedback changed in a retrained CANDIDATE, before (the ACTIVE version) against
 * after (the candidate).
 *
 * @param candidate        the new CANDIDATE (never activated by retraining)
 * @param comparedWith     the ACTIVE version it is compared with, or null when none is ACTIVE
 * @param decisions        clinician decisions kept so far
 * @param trainedOn        labelled decisions the candidate learned from
 * @param heldOut          labelled decisions kept out of training (their patients' decisions all
 *                         are) to measure agreement on patients the candidate never learned from
 * @param notUsed          why the other decisions were not used → count
 * @param weight           the weight of each feedback example against a cohort example's 1
 * @param agreement        agreement with clinicians, on the held-out and on the trained-on
 *                         decisions: at the time of decision (the proposing versions), before and after
 * @param cohort           the cohort's held-out metrics (accuracy, macro-F1, per-direction recall) of
 *                         before and after on the same held-out examples
 * @param changed          feedback decisions whose proposed direction the candidate changes from
 *                         before's: {@code toward clinician} / {@code away from clinician} / {@code other}
 */
public record RetrainingReport(ModelVersion candidate, String comparedWith, int decisions, int trainedOn,
                               int heldOut, Map<String, Integer> notUsed, double weight,
                               List<Agreement> agreement, Map<String, Map<String, Double>> cohort,
                               Map<String, Integer> changed) {

    /**
     * Share of labelled decisions whose direction a model chose.
     *
     * @param decisions  which decisions: {@code held out} or {@code trained on}
     * @param n          how many
     * @param atDecision the proposing versions' agreement when the clinicians decided
     * @param before     the ACTIVE version's now, or null
     * @param after      the candidate's
     */
    public record Agreement(String decisions, int n, Double atDecision, Double before, Double after) {
    }
}
