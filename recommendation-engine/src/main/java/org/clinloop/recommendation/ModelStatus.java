package org.clinloop.recommendation;

/** Lifecycle of a model version. Only ACTIVE versions' proposals reach the safety rules. */
public enum ModelStatus {
    CANDIDATE,
    SHADOW,
    ACTIVE,
    RETIRED
}
