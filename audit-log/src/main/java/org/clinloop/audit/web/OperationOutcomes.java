package org.clinloop.audit.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * FHIR {@code OperationOutcome} bodies for the REST edges, so that a client sees one error shape
 * across {@code /fhir} and {@code /api}: what was expected and what was found.
 */
public final class OperationOutcomes {

    public static final MediaType FHIR_JSON = MediaType.valueOf("application/fhir+json");

    private OperationOutcomes() {
    }

    /**
     * @param code        FHIR issue-type code: invalid, required, value, forbidden, not-found, conflict,
     *                    business-rule, exception, login …
     * @param diagnostics human-readable "expected … found …"
     */
    public static Map<String, Object> of(String severity, String code, String diagnostics) {
        return of(severity, code, List.of(diagnostics));
    }

    public static Map<String, Object> of(String severity, String code, List<String> diagnostics) {
        List<Map<String, Object>> issues = new ArrayList<>();
        for (String d : diagnostics) {
            Map<String, Object> issue = new LinkedHashMap<>();
            issue.put("severity", severity);
            issue.put("code", code);
            issue.put("diagnostics", d);
            issues.add(issue);
        }
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("resourceType", "OperationOutcome");
        outcome.put("issue", issues);
        return outcome;
    }

    /** A response with status and an error OperationOutcome body (422 has no {@code Response.Status}). */
    public static Response response(int status, String code, List<String> diagnostics) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(of("error", code, diagnostics)).build();
    }

    public static Response response(int status, String code, String diagnostics) {
        return response(status, code, List.of(diagnostics));
    }

    public static Response response(Response.Status status, String code, List<String> diagnostics) {
        return response(status.getStatusCode(), code, diagnostics);
    }

    public static Response response(Response.Status status, String code, String diagnostics) {
        return response(status.getStatusCode(), code, List.of(diagnostics));
    }
}
