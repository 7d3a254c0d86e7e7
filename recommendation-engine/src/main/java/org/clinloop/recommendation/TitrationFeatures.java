package org.clinloop.recommendation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Feature values of one snapshot, in clinical units, with missing values named rather than
 * silently zero.
 *
 * @param values  feature name → value, in {@link FeatureExtractor#FEATURE_NAMES} order
 * @param missing names of features that could not be computed (e.g. a trend from one reading)
 */
public record TitrationFeatures(Map<String, Double> values, Set<String> missing) {

    public TitrationFeatures {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        missing = Set.copyOf(missing);
    }

    public double value(String name) {
        Double v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("No feature named " + name + "; known: " + values.keySet());
        }
        return v;
    }

    public List<String> names() {
        return List.copyOf(values.keySet());
    }
}
