package org.clinloop.audit.web;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import org.clinloop.audit.Actor;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Turns the caller's verified token into an {@link Actor}. Every edge (REST resource, FHIR
 * provider) calls this once per request; no edge reads claims by itself.
 */
public final class Callers {

    /** Claim carrying the FHIR Patient id of a patient user. */
    public static final String PATIENT_CLAIM = "patient_id";
    /** Claim carrying the FHIR Practitioner id of a clinician. */
    public static final String PRACTITIONER_CLAIM = "practitioner_id";

    private Callers() {
    }

    /** The actor behind a verified token, or empty when the request carries none. */
    public static Optional<Actor> from(Principal principal) {
        if (!(principal instanceof JsonWebToken jwt) || jwt.getName() == null) {
            return Optional.empty();
        }
        Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        String name = jwt.getClaim("name");
        return Optional.of(new Actor(jwt.getName(), name, groups, claim(jwt, PATIENT_CLAIM),
                claim(jwt, PRACTITIONER_CLAIM)));
    }

    /** The client app the caller's token was issued to (its {@code azp} claim), or null. */
    public static String client(Principal principal) {
        return principal instanceof JsonWebToken jwt ? claim(jwt, "azp") : null;
    }

    /**
     * The OAuth scopes the caller's token was granted (its space-separated {@code scope} claim), in
     * the order given; empty when it has none. SMART system scopes ({@code system/Observation.c})
     * are among them for system clients.
     */
    public static java.util.List<String> scopes(Principal principal) {
        String scope = principal instanceof JsonWebToken jwt ? claim(jwt, "scope") : null;
        return scope == null ? java.util.List.of() : java.util.Arrays.stream(scope.trim().split("\\s+"))
                .filter(s -> !s.isEmpty()).toList();
    }

    /** The actor of a JAX-RS request; 401 when there is none (the container lets no such request through). */
    public static Actor require(jakarta.ws.rs.core.SecurityContext security) {
        return from(security.getUserPrincipal()).orElseThrow(() -> new jakarta.ws.rs.NotAuthorizedException("Bearer"));
    }

    private static String claim(JsonWebToken jwt, String claim) {
        Object value = jwt.getClaim(claim);
        if (value == null) {
            return null;
        }
        String text = value instanceof jakarta.json.JsonString s ? s.getString() : value.toString();
        return text.isBlank() ? null : text;
    }
}
