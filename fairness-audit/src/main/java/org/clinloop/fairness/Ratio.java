package org.clinloop.fairness;

/**
 * A rate with its numerator and denominator; undefined (not zero) when the denominator is zero.
 *
 * @param numerator   events
 * @param denominator population
 */
public record Ratio(long numerator, long denominator) {

    public boolean defined() {
        return denominator != 0;
    }

    /** The value, or null when undefined. */
    public Double value() {
        return denominator == 0 ? null : (double) numerator / denominator;
    }

    @Override
    public String toString() {
        return defined() ? numerator + "/" + denominator : "undefined";
    }
}
