package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.Arrays;
import org.clinloop.audit.Actor;
import org.clinloop.audit.web.Callers;

/** The actor behind a FHIR request, and role checks that deny by default. */
final class FhirCallers {

    private FhirCallers() {
    }

    static Actor actor(RequestDetails request) {
        if (request instanceof ServletRequestDetails servlet) {
            return Callers.from(servlet.getServletRequest().getUserPrincipal())
                    .orElseThrow(() -> new AuthenticationException("Expected a bearer token, found none"));
        }
        throw new AuthenticationException("Expected an HTTP request with a bearer token");
    }

    /** The client app the caller's token was issued to ({@code azp}), or null. */
    static String client(RequestDetails request) {
        return request instanceof ServletRequestDetails servlet
                ? Callers.client(servlet.getServletRequest().getUserPrincipal()) : null;
    }

    /** The caller, who must hold one of {@code roles}; 403 otherwise. */
    static Actor requireAnyRole(RequestDetails request, String... roles) {
        Actor actor = actor(request);
        for (String role : roles) {
            if (actor.hasRole(role)) {
                return actor;
            }
        }
        throw new ForbiddenOperationException("Expected one of the roles " + Arrays.toString(roles) + ", found "
                + actor.roles());
    }

    /** An empty body parses to nothing: refuse it as such, before anything reads the resource. */
    static void requireBody(org.hl7.fhir.instance.model.api.IBaseResource resource) {
        if (resource == null) {
            throw new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                    "Expected a FHIR resource in the request body, found none.");
        }
    }
}
