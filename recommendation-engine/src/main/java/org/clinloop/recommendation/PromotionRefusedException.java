package org.clinloop.recommendation;

import java.util.List;

/** A model version may not be activated: a gate failed, the signer is not a steward, or it is retired. */
public class PromotionRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final List<String> reasons;

    public PromotionRefusedException(String versionId, List<String> reasons) {
        super("Model " + versionId + " cannot be activated: " + String.join("; ", reasons));
        this.reasons = List.copyOf(reasons);
    }

    public List<String> reasons() {
        return reasons;
    }
}
