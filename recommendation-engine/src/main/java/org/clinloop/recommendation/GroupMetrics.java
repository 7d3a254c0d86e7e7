package org.clinloop.recommendation;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Held-out metrics of one patient group, as a model version stores them among its metrics under
 * {@code group.<attribute>=<group>.<metric>}, e.g. {@code group.sex=female.accuracy}. Metrics:
 * {@link #N} (held-out examples in the group), {@code accuracy}, {@code macro_f1},
 * {@code n_<direction>} (the group's examples of that direction) and {@code recall_<direction>}
 * (absent when the group has no example of that direction).
 *
 * @param attribute e.g. {@code sex}
 * @param group     e.g. {@code female}
 * @param metrics   metric → value
 */
public record GroupMetrics(String attribute, String group, Map<String, Double> metrics) {

    public static final String PREFIX = "group.";
    /** The metric counting the group's held-out examples. */
    public static final String N = "n";

    public GroupMetrics {
        metrics = Collections.unmodifiableMap(new TreeMap<>(metrics));
    }

    /** {@code attribute=group}, as failure messages and audit entries name the group. */
    public String name() {
        return attribute + "=" + group;
    }

    /** Held-out examples in the group. */
    public long n() {
        return Math.round(metrics.getOrDefault(N, 0.0));
    }

    /** The stored key of one metric of one group. */
    public static String key(String attribute, String group, String metric) {
        if (attribute.contains("=") || attribute.contains(".") || metric.contains(".")) {
            throw new IllegalArgumentException("Expected an attribute without '=' or '.' and a metric without '.', "
                    + "found " + attribute + " / " + metric + ".");
        }
        return PREFIX + attribute + "=" + group + "." + metric;
    }

    /** The groups among a model version's metrics, by attribute then group; none for older versions. */
    public static List<GroupMetrics> of(Map<String, Double> versionMetrics) {
        Map<String, Map<String, Map<String, Double>>> byGroup = new TreeMap<>();
        versionMetrics.forEach((k, v) -> {
            if (!k.startsWith(PREFIX)) {
                return;
            }
            int eq = k.indexOf('=');
            int dot = k.lastIndexOf('.');
            if (eq < 0 || dot < eq) {
                return;
            }
            byGroup.computeIfAbsent(k.substring(PREFIX.length(), eq), a -> new TreeMap<>())
                    .computeIfAbsent(k.substring(eq + 1, dot), g -> new TreeMap<>())
                    .put(k.substring(dot + 1), v);
        });
        List<GroupMetrics> out = new ArrayList<>();
        byGroup.forEach((a, groups) -> groups.forEach((g, m) -> out.add(new GroupMetrics(a, g, m))));
        return out;
    }
}
