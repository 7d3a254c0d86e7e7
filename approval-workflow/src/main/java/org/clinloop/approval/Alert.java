package org.clinloop.approval;

/**
 * A safety alert, shown as a FHIR DetectedIssue.
 *
 * @param code     {@code hypertensive-crisis}, {@code hypotension-risk}, {@code outside-hard-limits}
 * @param severity {@code high} or {@code moderate} (DetectedIssue.severity)
 * @param detail   what was found
 */
public record Alert(String code, String severity, String detail) {

    public static final String HYPERTENSIVE_CRISIS = "hypertensive-crisis";
    public static final String HYPOTENSION_RISK = "hypotension-risk";
    public static final String OUTSIDE_HARD_LIMITS = "outside-hard-limits";
}
