package org.clinloop.ingest;

import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.Resource;

/**
 * Limits every submitted resource must respect, whatever its kind: no string longer than
 * {@link #MAX_STRING} characters, no control characters other than tab, carriage return and line
 * feed (FHIR's {@code string} excludes them), no more than {@link #MAX_CONTENT} characters of
 * content in all, no nesting deeper than {@link #MAX_DEPTH}. Each problem names the element.
 */
public final class ResourceLimits {

    public static final int MAX_STRING = 4_096;
    public static final int MAX_CONTENT = 256 * 1024;
    public static final int MAX_DEPTH = 32;

    private ResourceLimits() {
    }

    public static List<InputProblem> check(Resource resource) {
        List<InputProblem> problems = new ArrayList<>();
        long[] content = new long[1];
        walk(resource, resource.fhirType(), 0, problems, content);
        if (content[0] > MAX_CONTENT) {
            problems.add(new InputProblem(resource.fhirType(), "too-costly", "expected at most " + MAX_CONTENT
                    + " characters of content in one resource, found " + content[0]));
        }
        return problems;
    }

    /** A problem when {@code value} is longer than {@code max} (for values stored in bounded columns). */
    public static void requireLength(String expression, String value, int max, List<InputProblem> problems) {
        if (value != null && value.length() > max) {
            problems.add(new InputProblem(expression, "value", "expected at most " + max + " characters, found "
                    + value.length()));
        }
    }

    private static void walk(Base node, String path, int depth, List<InputProblem> problems, long[] content) {
        if (problems.size() >= 20) {
            return;
        }
        if (depth > MAX_DEPTH) {
            problems.add(new InputProblem(path, "structure", "expected nesting at most " + MAX_DEPTH
                    + " deep, found deeper"));
            return;
        }
        if (node instanceof PrimitiveType<?> p) {
            String v = p.getValueAsString();
            if (v != null) {
                content[0] += v.length();
                if (v.length() > MAX_STRING) {
                    problems.add(new InputProblem(path, "too-costly", "expected at most " + MAX_STRING
                            + " characters, found " + v.length()));
                }
                int control = firstControl(v);
                if (control >= 0) {
                    problems.add(new InputProblem(path, "value", String.format(
                            "expected no control characters, found U+%04X at position %d", (int) v.charAt(control),
                            control)));
                }
            }
        }
        for (Property child : node.children()) {
            List<Base> values = child.getValues();
            for (int i = 0; i < values.size(); i++) {
                Base v = values.get(i);
                if (v != null) {
                    String p = path + "." + child.getName() + (child.getMaxCardinality() > 1 ? "[" + i + "]" : "");
                    walk(v, p, depth + 1, problems, content);
                }
            }
        }
    }

    private static int firstControl(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                return i;
            }
        }
        return -1;
    }
}
