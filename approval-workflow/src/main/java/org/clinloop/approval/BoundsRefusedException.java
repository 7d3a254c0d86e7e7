package org.clinloop.approval;

import java.util.List;

/** Bounds or a regimen outside the protocol's hard limits (HTTP 422), each violation named. */
public class BoundsRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final List<String> violations;

    public BoundsRefusedException(List<String> violations) {
        super("Refused: " + String.join("; ", violations));
        this.violations = List.copyOf(violations);
    }

    public List<String> violations() {
        return violations;
    }
}
