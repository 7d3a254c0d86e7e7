package org.clinloop.approval.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.time.Instant;
import org.clinloop.approval.LiveFeed;
import org.clinloop.audit.Actor;
import org.clinloop.audit.web.Callers;
import org.clinloop.audit.web.NoPatientData;
import org.clinloop.audit.web.OperationOutcomes;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code GET /api/live}: server-sent events for the portal. A clinician's stream carries
 * {@code workload} events (counts of their waiting proposals and their panel's open alerts, and a
 * stamp) whenever any of it changes; it ends when the access token it was opened with ends, and the
 * client opens another with its renewed token.
 */
@Path("live")
@RequestScoped
public class LiveResource {

    @Inject
    LiveFeed feed;
    @Inject
    Clock clock;

    @Context
    SecurityContext security;

    @GET
    @RolesAllowed("clinician")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @NoPatientData("counts of the caller's own waiting tasks and open alerts; the views a client reloads are recorded when read")
    public void follow(@Context SseEventSink sink, @Context Sse sse) {
        Actor clinician = Callers.require(security);
        Instant until = security.getUserPrincipal() instanceof JsonWebToken jwt && jwt.getExpirationTime() > 0
                ? Instant.ofEpochSecond(jwt.getExpirationTime()) : clock.instant().plusSeconds(300);
        if (!feed.follow(clinician, until, sink, sse)) {
            throw new WebApplicationException(Response.fromResponse(OperationOutcomes.response(
                    Response.Status.SERVICE_UNAVAILABLE, "throttled",
                    "Expected a free live stream on this node, found all in use; try again shortly."))
                    .header("Retry-After", "30").build());
        }
    }
}
