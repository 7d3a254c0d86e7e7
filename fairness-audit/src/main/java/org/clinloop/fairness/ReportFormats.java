package org.clinloop.fairness;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A report as plain maps (for JSON, with "undefined" and "suppressed" spelled out rather than
 * omitted) and as CSV (one row per group, Aequitas column names).
 */
public final class ReportFormats {

    public static final String UNDEFINED = "undefined";
    public static final String SUPPRESSED = "suppressed";

    private ReportFormats() {
    }

    public static Map<String, Object> json(FairnessReport r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", r.rows());
        out.put("k", r.k());
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("tau", r.settings().tau());
        settings.put("reference", r.settings().reference().name());
        settings.put("namedReferences", r.settings().namedReferences());
        settings.put("alpha", r.settings().alpha());
        settings.put("minGroupSize", r.settings().minGroupSize());
        settings.put("intersections", r.settings().intersections());
        out.put("settings", settings);
        out.put("significanceTest", r.significanceTest());
        List<Object> attributes = new ArrayList<>();
        for (FairnessReport.AttributeAudit a : r.attributes()) {
            Map<String, Object> am = new LinkedHashMap<>();
            am.put("attribute", a.attribute());
            Map<String, Object> refs = new LinkedHashMap<>();
            a.references().forEach((m, g) -> refs.put(m.column(), g == null ? UNDEFINED : g));
            am.put("references", refs);
            List<Object> groups = new ArrayList<>();
            for (FairnessReport.GroupAudit g : a.groups()) {
                Map<String, Object> gm = new LinkedHashMap<>();
                gm.put("group", g.group());
                if (g.suppressed()) {
                    gm.put("size", SUPPRESSED);
                    gm.put("suppressed", true);
                    groups.add(gm);
                    continue;
                }
                gm.put("size", g.size());
                Counts c = g.counts();
                gm.put("counts", Map.of("tp", c.tp(), "fp", c.fp(), "tn", c.tn(), "fn", c.fn(), "pp", c.pp(),
                        "pn", c.pn()));
                Map<String, Object> metrics = new LinkedHashMap<>();
                g.metrics().forEach((m, v) -> metrics.put(m.column(), v.defined() ? v.value() : UNDEFINED));
                gm.put("metrics", metrics);
                Map<String, Object> disparities = new LinkedHashMap<>();
                g.disparities().forEach((m, d) -> {
                    Map<String, Object> dm = new LinkedHashMap<>();
                    dm.put("reference", d.reference() == null ? UNDEFINED : d.reference());
                    dm.put("ratio", d.ratio() == null ? UNDEFINED : d.ratio());
                    dm.put("pValue", d.pValue() == null ? (m.testable() ? UNDEFINED : "not tested") : d.pValue());
                    dm.put("significant", d.significant() == null ? UNDEFINED : d.significant());
                    disparities.put(m.column(), dm);
                });
                gm.put("disparities", disparities);
                gm.put("parity", parity(g.parity()));
                groups.add(gm);
            }
            am.put("groups", groups);
            am.put("parity", parity(a.parity()));
            attributes.add(am);
        }
        out.put("attributes", attributes);
        out.put("overall", parity(r.overall()));
        return out;
    }

    private static Map<String, Object> parity(Map<Parity, Boolean> parity) {
        Map<String, Object> out = new LinkedHashMap<>();
        parity.forEach((p, v) -> out.put(p.name(), v == null ? UNDEFINED : v));
        return out;
    }

    /** One row per (attribute, group): counts, every metric, every disparity and every parity. */
    public static String csv(FairnessReport r) {
        StringBuilder b = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("attribute_name", "attribute_value", "group_size", "tp", "fp",
                "tn", "fn", "pp", "pn", "k"));
        for (Metric m : Metric.values()) {
            header.add(m.column());
        }
        for (Metric m : Metric.values()) {
            header.add(m.column() + "_ref_group");
            header.add(m.column() + "_disparity");
            header.add(m.column() + "_pvalue");
        }
        for (Parity p : Parity.values()) {
            header.add(p.name());
        }
        b.append(String.join(",", header)).append('\n');
        for (FairnessReport.AttributeAudit a : r.attributes()) {
            for (FairnessReport.GroupAudit g : a.groups()) {
                List<String> row = new ArrayList<>(List.of(quote(a.attribute()), quote(g.group())));
                if (g.suppressed()) {
                    while (row.size() < header.size()) {
                        row.add(SUPPRESSED);
                    }
                    b.append(String.join(",", row)).append('\n');
                    continue;
                }
                Counts c = g.counts();
                row.addAll(List.of(String.valueOf(g.size()), String.valueOf(c.tp()), String.valueOf(c.fp()),
                        String.valueOf(c.tn()), String.valueOf(c.fn()), String.valueOf(c.pp()), String.valueOf(c.pn()),
                        String.valueOf(r.k())));
                for (Metric m : Metric.values()) {
                    row.add(number(g.metrics().get(m).value()));
                }
                for (Metric m : Metric.values()) {
                    FairnessReport.Disparity d = g.disparities().get(m);
                    row.add(d.reference() == null ? UNDEFINED : quote(d.reference()));
                    row.add(number(d.ratio()));
                    row.add(m.testable() ? number(d.pValue()) : "not tested");
                }
                for (Parity p : Parity.values()) {
                    Boolean v = g.parity().get(p);
                    row.add(v == null ? UNDEFINED : v.toString());
                }
                b.append(String.join(",", row)).append('\n');
            }
        }
        return b.toString();
    }

    private static String number(Double v) {
        return v == null ? UNDEFINED : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
