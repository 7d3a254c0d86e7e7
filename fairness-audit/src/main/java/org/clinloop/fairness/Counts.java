package org.clinloop.fairness;

/**
 * The confusion matrix of one group.
 *
 * @param tp predicted positive, labelled positive
 * @param fp predicted positive, labelled negative
 * @param tn predicted negative, labelled negative
 * @param fn predicted negative, labelled positive
 */
public record Counts(long tp, long fp, long tn, long fn) {

    /** Predicted positives. */
    public long pp() {
        return tp + fp;
    }

    /** Predicted negatives. */
    public long pn() {
        return tn + fn;
    }

    public long labelPositive() {
        return tp + fn;
    }

    public long labelNegative() {
        return tn + fp;
    }

    public long size() {
        return tp + fp + tn + fn;
    }
}
