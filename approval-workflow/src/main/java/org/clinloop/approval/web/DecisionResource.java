package org.clinloop.approval.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.clinloop.approval.DecisionReplay;
import org.clinloop.audit.web.Callers;

/** Replays a recorded decision from its audit entries (compliance officers). */
@Path("decisions")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class DecisionResource {

    @Inject
    DecisionReplay replay;

    @Context
    SecurityContext security;

    @POST
    @Path("{proposal}/replay")
    @RolesAllowed("compliance-officer")
    public DecisionReplay.Report replay(@PathParam("proposal") String proposal) {
        return replay.replay(proposal, Callers.require(security));
    }
}
