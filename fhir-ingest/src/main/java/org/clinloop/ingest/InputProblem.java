package org.clinloop.ingest;

import java.util.List;

/**
 * One thing wrong with a submitted resource.
 *
 * @param expression FHIRPath of the offending element, e.g. {@code Observation.component[0].valueQuantity.code}
 * @param code       FHIR issue type: required, value, invalid, not-found, business-rule …
 * @param message    what was expected and what was found
 */
public record InputProblem(String expression, String code, String message) {

    /** Longest message kept: a found value can be megabytes; the answer and the audit log need its start. */
    static final int MAX_MESSAGE = 400;

    public InputProblem {
        expression = expression == null ? null : printable(abbreviate(expression, 200));
        message = printable(abbreviate(message, MAX_MESSAGE));
    }

    /**
     * These problems as found inside a bundle entry: {@code Observation.code} under the prefix
     * {@code Bundle.entry[3].resource.} is {@code Bundle.entry[3].resource.code}. An empty prefix
     * leaves them as they are.
     */
    public static List<InputProblem> under(String prefix, List<InputProblem> problems) {
        if (prefix.isEmpty()) {
            return problems;
        }
        return problems.stream().map(p -> new InputProblem(p.expression() == null ? null
                : prefix + p.expression().substring(p.expression().indexOf('.') + 1), p.code(), p.message())).toList();
    }

    /** The expression prefix of a bundle's entry {@code i}. */
    public static String entry(int i) {
        return "Bundle.entry[" + i + "].resource.";
    }

    private static String abbreviate(String s, int max) {
        return s == null || s.length() <= max ? s
                : s.substring(0, max - 40) + "… (" + s.length() + " characters)";
    }

    /** Control characters shown as \\uXXXX so that they can be stored and displayed. */
    private static String printable(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
