package org.clinloop.approval.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.clinloop.approval.BoundsDraft;
import org.clinloop.approval.CareGoal;
import org.clinloop.approval.FollowUp;
import org.clinloop.approval.DecisionQueue;
import org.clinloop.approval.Deliveries;
import org.clinloop.approval.DoseAdjustment;
import org.clinloop.approval.Regimen;
import org.clinloop.approval.SafetyAlert;
import org.clinloop.approval.SafetyBounds;
import org.clinloop.approval.TitrationPlans;
import org.clinloop.audit.Actor;
import org.clinloop.audit.web.Callers;
import org.clinloop.audit.web.JsonInput;
import org.clinloop.audit.web.OperationOutcomes;

/** A patient's titration plan: safety bounds, regimen, delivered adjustments and alerts. */
@Path("patients/{patient}")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PatientPlanResource {

    @Inject
    TitrationPlans plans;
    @Inject
    Deliveries deliveries;
    @Inject
    DecisionQueue decisions;

    @Context
    SecurityContext security;

    @GET
    @Path("bounds")
    @RolesAllowed({"clinician", "patient", "compliance-officer"})
    public Response bounds(@PathParam("patient") String patient) {
        return plans.activeBounds(patient, caller()).map(b -> Response.ok(b).build())
                .orElseGet(() -> OperationOutcomes.response(Response.Status.NOT_FOUND, "not-found",
                        "patient " + patient + " has no clinician-signed bounds: every change needs approval"));
    }

    /**
     * Where the patient's decisions stand: readings accepted and not yet decided, since when, and
     * when the next decision may be made (the quiet period after a proposal).
     */
    @GET
    @Path("decisions")
    @RolesAllowed({"clinician", "patient", "compliance-officer"})
    public Response decisions(@PathParam("patient") String patient) {
        return decisions.status(patient, caller()).map(s -> Response.ok(s).build())
                .orElseGet(() -> OperationOutcomes.response(Response.Status.NOT_FOUND, "not-found",
                        "patient " + patient + " has no regimen on record: no dose decision is ever queued"));
    }

    /** Signs a new bounds version (not active until activated). */
    @POST
    @Path("bounds")
    @RolesAllowed("clinician")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response signBounds(@PathParam("patient") String patient, JsonObject body) {
        JsonInput in = new JsonInput(body);
        BoundsDraft draft = new BoundsDraft(in.requiredString("protocol"), in.requiredInt("lowestStep"),
                in.requiredInt("highestStep"), in.requiredInt("maxAutoSteps"), in.requiredNumber("systolicFloor"),
                in.requiredNumber("minConfidence"), in.requiredBoolean("autonomyEnabled"),
                in.requiredInt("minDaysBetweenAutoChanges"), in.requiredInt("maxAutoChangesPer30Days"));
        in.validate();
        SafetyBounds bounds = plans.signBounds(patient, draft, caller());
        return Response.status(Response.Status.CREATED).entity(bounds).build();
    }

    @POST
    @Path("bounds/{version}/activate")
    @RolesAllowed("clinician")
    public SafetyBounds activateBounds(@PathParam("patient") String patient, @PathParam("version") int version) {
        return plans.activateBounds(patient, version, caller());
    }

    @GET
    @Path("bounds/history")
    @RolesAllowed({"clinician", "patient", "compliance-officer"})
    public List<SafetyBounds> boundsHistory(@PathParam("patient") String patient) {
        return plans.boundsHistory(patient, caller());
    }

    @GET
    @Path("goal")
    @RolesAllowed({"clinician", "patient", "compliance-officer"})
    public CareGoal goal(@PathParam("patient") String patient) {
        return plans.goal(patient, caller());
    }

    @PUT
    @Path("goal")
    @RolesAllowed("clinician")
    @Consumes(MediaType.APPLICATION_JSON)
    public CareGoal setGoal(@PathParam("patient") String patient, JsonObject body) {
        JsonInput in = new JsonInput(body);
        double sys = in.requiredNumber("systolicTarget");
        double dia = in.requiredNumber("diastolicTarget");
        in.validate();
        return plans.setGoal(patient, sys, dia, caller());
    }

    @GET
    @Path("follow-up")
    @RolesAllowed({"clinician", "patient", "compliance-officer"})
    public java.util.Map<String, Object> followUp(@PathParam("patient") String patient) {
        FollowUp f = plans.followUp(patient, caller());
        return java.util.Map.of("intervalDays", f.interval().toDays(), "reason", f.reason());
    }

    @GET
    @Path("regimen")
    @RolesAllowed({"clinician", "patient", "compliance-officer"})
    public Response regimen(@PathParam("patient") String patient) {
        return plans.regimen(patient, caller()).map(r -> Response.ok(r).build())
                .orElseGet(() -> OperationOutcomes.response(Response.Status.NOT_FOUND, "not-found",
                        "patient " + patient + " has no regimen on record"));
    }

    @PUT
    @Path("regimen")
    @RolesAllowed("clinician")
    @Consumes(MediaType.APPLICATION_JSON)
    public Regimen setRegimen(@PathParam("patient") String patient, JsonObject body) {
        JsonInput in = new JsonInput(body);
        String protocol = in.requiredString("protocol");
        int step = in.requiredInt("doseStep");
        in.validate();
        return plans.setRegimen(patient, protocol, step, caller());
    }

    @GET
    @Path("adjustments")
    @RolesAllowed({"clinician", "patient", "compliance-officer"})
    public List<DoseAdjustment> adjustments(@PathParam("patient") String patient, @QueryParam("limit") Integer limit) {
        return deliveries.forPatient(patient, caller(), limit == null ? 50 : limit);
    }

    @GET
    @Path("alerts")
    @RolesAllowed({"clinician", "patient", "compliance-officer"})
    public List<SafetyAlert> alerts(@PathParam("patient") String patient, @QueryParam("limit") Integer limit) {
        return deliveries.alertsFor(patient, caller(), limit == null ? 50 : limit);
    }

    private Actor caller() {
        return Callers.require(security);
    }
}
