package org.clinloop.approval.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.clinloop.approval.Deliveries;
import org.clinloop.approval.DoseAdjustment;
import org.clinloop.audit.Actor;
import org.clinloop.audit.web.Callers;

/** The patient app's view: my delivered adjustments, and my acknowledgement of each. */
@Path("me/adjustments")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class MyAdjustmentsResource {

    @Inject
    Deliveries deliveries;

    @Context
    SecurityContext security;

    @GET
    @RolesAllowed("patient")
    public List<DoseAdjustment> mine(@QueryParam("limit") Integer limit) {
        Actor me = caller();
        if (me.patientId() == null) {
            throw new ForbiddenException("This account is not linked to a patient record.");
        }
        return deliveries.forPatient(me.patientId(), me, limit == null ? 50 : limit);
    }

    @POST
    @Path("{id}/acknowledge")
    @RolesAllowed("patient")
    public DoseAdjustment acknowledge(@PathParam("id") String id) {
        return deliveries.acknowledge(id, caller());
    }

    private Actor caller() {
        return Callers.require(security);
    }
}
