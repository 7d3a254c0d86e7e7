package org.clinloop.approval;

import java.util.Map;
import java.util.Optional;

/** The titration protocols this build knows. A second protocol is configuration, not architecture. */
public final class Protocols {

    private static final Map<String, ProtocolLimits> KNOWN = Map.of(
            ProtocolLimits.HYPERTENSION_ACEI.protocol(), ProtocolLimits.HYPERTENSION_ACEI);

    private Protocols() {
    }

    public static Optional<ProtocolLimits> byId(String protocol) {
        return Optional.ofNullable(KNOWN.get(protocol));
    }

    /** The protocol whose dose ladder is of this RxNorm ingredient, if any. */
    public static Optional<ProtocolLimits> forIngredient(String rxNormIngredient) {
        return KNOWN.values().stream().filter(p -> p.ladder().rxNormCode().equals(rxNormIngredient)).findFirst();
    }

    public static ProtocolLimits require(String protocol) {
        return byId(protocol).orElseThrow(() -> new BoundsRefusedException(java.util.List.of(
                "expected a known protocol " + KNOWN.keySet() + ", found " + protocol)));
    }
}
