package org.clinloop.recommendation;

import java.util.Map;

/**
 * How often a SHADOW version agreed with the ACTIVE one on live traffic, before anyone promotes it.
 *
 * @param shadowModel   the version in shadow
 * @param activeModels  the ACTIVE version(s) it was compared with over the period, with counts
 * @param scored        live snapshots scored by both
 * @param agreement     share of snapshots where both proposed the same direction (NaN when none)
 * @param confusion     ACTIVE direction → SHADOW direction → count
 * @param byActiveClass ACTIVE direction → share where the shadow agreed ("recall" of the active class)
 * @param byGroup       attribute → group → {@link GroupAgreement}
 */
public record ShadowAgreement(String shadowModel, Map<String, Long> activeModels, long scored, double agreement,
                              Map<Direction, Map<Direction, Long>> confusion, Map<Direction, Double> byActiveClass,
                              Map<String, Map<String, GroupAgreement>> byGroup) {

    /** Agreement within one group. */
    public record GroupAgreement(long scored, double agreement) {
    }
}
