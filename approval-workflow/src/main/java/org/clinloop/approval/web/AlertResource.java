package org.clinloop.approval.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import org.clinloop.approval.SafetyAlert;
import org.clinloop.approval.SafetyAlerts;
import org.clinloop.audit.web.Callers;
import org.clinloop.audit.web.JsonInput;

/** Safety alerts as clinicians work them. */
@Path("alerts")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    @Inject
    SafetyAlerts alerts;

    @Context
    SecurityContext security;

    /** The clinician's open alerts: the urgent part of the queue. */
    @GET
    @RolesAllowed("clinician")
    public java.util.List<SafetyAlert> open() {
        return alerts.openForClinician(Callers.require(security));
    }

    @POST
    @Path("{id}/acknowledge")
    @RolesAllowed("clinician")
    @Consumes(MediaType.APPLICATION_JSON)
    public SafetyAlert acknowledge(@PathParam("id") String id, JsonObject body) {
        JsonInput in = new JsonInput(body == null ? JsonObject.EMPTY_JSON_OBJECT : body);
        String note = in.optionalString("note");
        in.validate();
        return alerts.acknowledge(id, Callers.require(security), note);
    }
}
