package org.clinloop.approval;

/**
 * Bounds as a clinician writes them, before they are versioned and signed.
 *
 * @param protocol        protocol id (fixes the hard limits)
 * @param lowestStep      lowest dose step for automatic changes
 * @param highestStep     highest dose step for automatic changes
 * @param maxAutoSteps    largest automatic change, in steps
 * @param systolicFloor   no increase below this systolic, mm[Hg]
 * @param minConfidence   model probability needed for automatic delivery
 * @param autonomyEnabled whether any change may be delivered without approval
 * @param minDaysBetweenAutoChanges at least this many days between automatic changes
 * @param maxAutoChangesPer30Days   at most this many automatic changes in any 30 days
 */
public record BoundsDraft(String protocol, int lowestStep, int highestStep, int maxAutoSteps, double systolicFloor,
                          double minConfidence, boolean autonomyEnabled, int minDaysBetweenAutoChanges,
                          int maxAutoChangesPer30Days) {
}
