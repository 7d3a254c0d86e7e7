package org.clinloop.cds;

import jakarta.json.JsonObject;
import java.util.List;

/**
 * A CDS Hooks 2.0 card, as JSON-B writes it (absent fields are left out).
 *
 * @param uuid              the card's id; feedback names it
 * @param summary           one line, under 140 characters
 * @param detail            GitHub-flavoured markdown
 * @param indicator         {@code info}, {@code warning} or {@code critical}
 * @param source            who says so
 * @param suggestions       what the EHR may do, or null
 * @param selectionBehavior {@code at-most-one} or {@code any} when there are suggestions
 * @param overrideReasons   coded reasons the clinician may give for overriding it, or null
 * @param links             where to read more, or null
 */
public record CdsCard(String uuid, String summary, String detail, String indicator, Source source,
                      List<Suggestion> suggestions, String selectionBehavior, List<Coding> overrideReasons,
                      List<Link> links) {

    public static final String INFO = "info";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";

    public CdsCard {
        if (summary.length() >= 140) {
            summary = summary.substring(0, 138) + "…";
        }
    }

    /** A card with text only. */
    public static CdsCard of(String uuid, String indicator, String summary, String detail, Source source) {
        return new CdsCard(uuid, summary, detail, indicator, source, null, null, null, null);
    }

    public record Source(String label, String url, Coding topic) {
    }

    public record Coding(String system, String code, String display) {
    }

    public record Link(String label, String url, String type) {
    }

    public record Suggestion(String label, String uuid, Boolean isRecommended, List<Action> actions) {
    }

    /** A suggested change: {@code create} with the FHIR resource to create. */
    public record Action(String type, String description, JsonObject resource) {
    }
}
