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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Arrays;
import java.util.List;
import org.clinloop.approval.ApprovalQueue;
import org.clinloop.approval.ApprovalTask;
import org.clinloop.approval.ProposalExplanations;
import org.clinloop.approval.RejectionReason;
import org.clinloop.approval.TaskStatus;
import org.clinloop.audit.Actor;
import org.clinloop.audit.web.Callers;
import org.clinloop.audit.web.JsonInput;
import org.clinloop.audit.web.OperationOutcomes;

/** The clinician's approval queue. */
@Path("tasks")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    @Inject
    ApprovalQueue queue;
    @Inject
    ProposalExplanations explanations;

    @Context
    SecurityContext security;

    @GET
    @RolesAllowed("clinician")
    public List<ApprovalTask> list(@QueryParam("status") String status, @QueryParam("limit") Integer limit) {
        TaskStatus s = null;
        if (status != null) {
            try {
                s = TaskStatus.valueOf(status.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new WebApplicationException(OperationOutcomes.response(Response.Status.BAD_REQUEST, "value",
                        "expected status one of " + Arrays.toString(TaskStatus.values()) + ", found " + status));
            }
        }
        return queue.tasks(caller(), s, limit == null ? 100 : limit);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"clinician", "compliance-officer"})
    public ApprovalTask get(@PathParam("id") String id) {
        return queue.task(id, caller());
    }

    /** The proposal's feature contributions, model and the rules that fired, as its decision recorded them. */
    @GET
    @Path("{id}/explanation")
    @RolesAllowed({"clinician", "compliance-officer"})
    public ProposalExplanations.Explained explanation(@PathParam("id") String id) {
        return explanations.forTask(id, caller());
    }

    /** Every ladder step re-checked as a modification would be: what the clinician may choose instead, and why not. */
    @GET
    @Path("{id}/steps")
    @RolesAllowed("clinician")
    public ApprovalQueue.StepOptions steps(@PathParam("id") String id) {
        return queue.stepOptions(id, caller());
    }

    @POST
    @Path("{id}/approve")
    @RolesAllowed("clinician")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApprovalTask approve(@PathParam("id") String id, JsonObject body) {
        JsonInput in = new JsonInput(body == null ? JsonObject.EMPTY_JSON_OBJECT : body);
        String note = in.optionalString("note");
        in.validate();
        return queue.approve(id, caller(), note);
    }

    /** Approves a different dose step than proposed; re-checked against the hard limits and the rules. */
    @POST
    @Path("{id}/modify")
    @RolesAllowed("clinician")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApprovalTask modify(@PathParam("id") String id, JsonObject body) {
        JsonInput in = new JsonInput(body);
        int step = in.requiredInt("toStep");
        String note = in.optionalString("note");
        in.validate();
        return queue.modify(id, caller(), step, note);
    }

    @POST
    @Path("{id}/reject")
    @RolesAllowed("clinician")
    @Consumes(MediaType.APPLICATION_JSON)
    public ApprovalTask reject(@PathParam("id") String id, JsonObject body) {
        JsonInput in = new JsonInput(body);
        String reason = in.requiredString("reason");
        String note = in.optionalString("note");
        in.validate();
        RejectionReason code;
        try {
            code = RejectionReason.valueOf(reason);
        } catch (IllegalArgumentException e) {
            throw new WebApplicationException(OperationOutcomes.response(422, "value",
                    "expected reason one of " + Arrays.toString(RejectionReason.values()) + ", found " + reason));
        }
        return queue.reject(id, caller(), code, note);
    }

    private Actor caller() {
        return Callers.require(security);
    }
}
