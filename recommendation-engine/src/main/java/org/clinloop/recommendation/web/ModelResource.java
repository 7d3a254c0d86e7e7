package org.clinloop.recommendation.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.clinloop.audit.Actor;
import org.clinloop.audit.web.Callers;
import org.clinloop.audit.web.NoPatientData;
import org.clinloop.audit.web.OperationOutcomes;
import org.clinloop.recommendation.DriftMonitor;
import org.clinloop.recommendation.FeedbackLog;
import org.clinloop.recommendation.FeedbackRetraining;
import org.clinloop.recommendation.ModelRegistry;
import org.clinloop.recommendation.ModelTraining;
import org.clinloop.recommendation.ModelVersion;
import org.clinloop.recommendation.PromotionRefusedException;
import org.clinloop.recommendation.ShadowScoring;

/** Model versions for model stewards (and, read-only, compliance officers). */
@Path("models")
@NoPatientData("model versions, their metrics and counts over all decisions: no patient is named")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class ModelResource {

    @Inject
    ModelRegistry registry;
    @Inject
    ModelTraining training;
    @Inject
    ShadowScoring shadows;
    @Inject
    DriftMonitor drift;
    @Inject
    FeedbackLog feedback;
    @Inject
    FeedbackRetraining retraining;

    @Context
    SecurityContext security;

    @GET
    @RolesAllowed({"model-steward", "compliance-officer"})
    public List<ModelVersion> versions() {
        return registry.versions();
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"model-steward", "compliance-officer"})
    public Response version(@PathParam("id") String id) {
        return registry.find(id).map(v -> Response.ok(v).build()).orElseGet(() -> notFound(id));
    }

    /** Every promotion gate of a version as activation would weigh it now, against the ACTIVE version; nothing changes. */
    @GET
    @Path("{id}/gates")
    @RolesAllowed({"model-steward", "compliance-officer"})
    public Response gates(@PathParam("id") String id) {
        return registry.gates(id).map(g -> Response.ok(g).build()).orElseGet(() -> notFound(id));
    }

    /** Trains a new CANDIDATE from the synthetic cohort with the given seed. */
    @POST
    @Path("train")
    @RolesAllowed("model-steward")
    public Response train(@QueryParam("seed") String seedParam) {
        Long seed = seed(seedParam);
        if (seed == null) {
            return badSeed(seedParam);
        }
        ModelVersion v = training.trainCandidate(seed, caller());
        return Response.status(Response.Status.CREATED).entity(v).build();
    }

    /** The steward's sign-off: gates must pass; the sign-off itself is audited. */
    @POST
    @Path("{id}/activate")
    @RolesAllowed("model-steward")
    public Response activate(@PathParam("id") String id) {
        try {
            return Response.ok(registry.activate(id, caller())).build();
        } catch (PromotionRefusedException e) {
            return OperationOutcomes.response(422, "business-rule", e.reasons());
        }
    }

    /** CANDIDATE → SHADOW: scores live traffic beside the ACTIVE version, never acting. */
    @POST
    @Path("{id}/shadow")
    @RolesAllowed("model-steward")
    public Response shadow(@PathParam("id") String id) {
        try {
            return Response.ok(registry.shadow(id, caller())).build();
        } catch (PromotionRefusedException e) {
            return OperationOutcomes.response(422, "business-rule", e.reasons());
        }
    }

    /** How a SHADOW (or any scored) version agreed with the ACTIVE one, per class and per group. */
    @GET
    @Path("{id}/agreement")
    @RolesAllowed({"model-steward", "compliance-officer"})
    public Response agreement(@PathParam("id") String id) {
        if (registry.find(id).isEmpty()) {
            return notFound(id);
        }
        return Response.ok(shadows.agreement(id)).build();
    }

    /**
     * Input and output drift of a version against its training reference over the last
     * {@code days} (default 7); an ALERT raises a governance alert for the steward, never a retrain.
     */
    @GET
    @Path("{id}/drift")
    @RolesAllowed({"model-steward", "compliance-officer"})
    public Response drift(@PathParam("id") String id, @QueryParam("days") Integer days) {
        if (registry.find(id).isEmpty()) {
            return notFound(id);
        }
        if (days != null && (days < 1 || days > 365)) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "value",
                    "expected days between 1 and 365, found " + days);
        }
        return Response.ok(drift.check(id, java.time.Duration.ofDays(days == null ? 7 : days), caller())).build();
    }

    /**
     * Clinicians' decisions on proposals as labels: counts by action and label, why some label
     * nothing, and how often clinicians chose each version's direction.
     */
    @GET
    @Path("feedback")
    @RolesAllowed({"model-steward", "compliance-officer"})
    public FeedbackLog.Summary feedback() {
        return feedback.summary();
    }

    /**
     * Retrains from the seeded cohort plus clinician feedback: registers a CANDIDATE (201) and
     * reports what the feedback changed against the ACTIVE version. Never activates.
     */
    @POST
    @Path("retrain")
    @RolesAllowed("model-steward")
    public Response retrain(@QueryParam("seed") String seedParam) {
        Long seed = seed(seedParam);
        if (seed == null) {
            return badSeed(seedParam);
        }
        return Response.status(Response.Status.CREATED).entity(retraining.retrain(seed, caller())).build();
    }

    /** Back to the previous ACTIVE version in one call; body {@code {"reason": "…"}}. */
    @POST
    @Path("rollback")
    @RolesAllowed("model-steward")
    public Response rollback(jakarta.json.JsonObject body) {
        String reason = body == null ? null : body.getString("reason", null);
        try {
            return Response.ok(registry.rollback(caller(), reason)).build();
        } catch (PromotionRefusedException e) {
            return OperationOutcomes.response(422, "business-rule", e.reasons());
        }
    }

    /** The seed query parameter as a number, or null when absent or not a whole number. */
    private static Long seed(String param) {
        try {
            return param == null ? null : Long.valueOf(param.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Response badSeed(String param) {
        return param == null
                ? OperationOutcomes.response(Response.Status.BAD_REQUEST, "required",
                        "expected a seed query parameter (every training run is seeded and the seed recorded), found none")
                : OperationOutcomes.response(Response.Status.BAD_REQUEST, "value",
                        "expected a whole-number seed, found " + param);
    }

    private static Response notFound(String id) {
        return OperationOutcomes.response(Response.Status.NOT_FOUND, "not-found",
                "expected a registered model version, found no " + id);
    }

    private Actor caller() {
        return Callers.require(security);
    }
}
