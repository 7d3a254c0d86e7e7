package org.clinloop.recommendation;

import java.util.List;
import java.util.Optional;
import org.clinloop.audit.Actor;

/**
 * Every model version with its provenance, metrics and lifecycle. Registration and activation
 * are written to the audit log.
 */
public interface ModelRegistry {

    /** Stores a trained model as a new CANDIDATE. */
    ModelVersion register(TrainedModel trained, Actor registeredBy);

    /**
     * Makes a version ACTIVE: it must pass {@link PromotionGates#DEFAULT} (its per-group gates
     * compared with the version now ACTIVE, if any) and {@code steward} must hold the
     * model-steward role. The previously active version is RETIRED. Audited either way:
     * {@code MODEL_ACTIVATED} or {@code MODEL_ACTIVATION_REFUSED}, each with every gate check.
     *
     * @throws PromotionRefusedException when a gate or the sign-off fails; each reason reads
     *                                   "expected … found …" and names the group it concerns
     */
    ModelVersion activate(String versionId, Actor steward);

    /**
     * Puts a CANDIDATE in SHADOW: it scores live traffic beside the ACTIVE version without acting,
     * so that an agreement report exists before promotion. Needs a model steward; audited.
     */
    ModelVersion shadow(String versionId, Actor steward);

    /**
     * One call back to the previous ACTIVE version: the current one is RETIRED and the most
     * recently retired version that had been ACTIVE is ACTIVE again. Needs a model steward and a
     * reason; audited.
     *
     * @throws PromotionRefusedException when there is no previous ACTIVE version to return to
     */
    ModelVersion rollback(Actor steward, String reason);

    /** Versions in SHADOW, loaded to score. */
    List<TitrationModel> shadows();

    /** The version whose proposals reach the safety rules, if any. */
    Optional<TitrationModel> active();

    Optional<ModelVersion> find(String versionId);

    /**
     * What {@link #activate} would check, without activating or recording anything: every
     * promotion gate of {@code versionId} against the version now ACTIVE (if any). Empty when
     * there is no such version.
     */
    Optional<GateReport> gates(String versionId);

    /**
     * A version's promotion gates as activation would weigh them today.
     *
     * @param model        the version checked
     * @param comparedWith the ACTIVE version its per-group regressions are measured against, or null
     * @param checks       every gate, passed or not
     */
    record GateReport(String model, String comparedWith, List<PromotionGates.Check> checks) {

        public GateReport {
            checks = List.copyOf(checks);
        }

        public boolean passed() {
            return checks.stream().allMatch(PromotionGates.Check::passed);
        }
    }

    /** Any registered version, loaded to predict (for replaying past decisions and shadow scoring). */
    Optional<TitrationModel> load(String versionId);

    /** All versions, newest first. */
    List<ModelVersion> versions();
}
