package org.clinloop.fairness.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.clinloop.audit.Actor;
import org.clinloop.audit.web.Callers;
import org.clinloop.audit.web.NoPatientData;
import org.clinloop.audit.web.OperationOutcomes;
import org.clinloop.fairness.AequitasCsv;
import org.clinloop.fairness.AuditSettings;
import org.clinloop.fairness.FairnessReports;
import org.clinloop.fairness.FairnessTable;
import org.clinloop.fairness.ReferencePolicy;
import org.clinloop.fairness.ReportKind;
import org.clinloop.fairness.StoredReport;

/** Fairness reports for compliance officers (and, for model audits, model stewards). */
@Path("fairness")
@NoPatientData("metrics over groups of at least 11, no patient named; each report is audited when it is run")
@RequestScoped
public class FairnessResource {

    @Inject
    FairnessReports reports;

    @Context
    SecurityContext security;

    /** Audits an uploaded CSV in the Aequitas layout; stored and audit-logged like every report. */
    @POST
    @Path("audit")
    @Consumes({"text/csv", MediaType.TEXT_PLAIN})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"compliance-officer", "model-steward"})
    public Response auditTable(String csv, @QueryParam("tau") Double tau, @QueryParam("reference") String reference,
                               @QueryParam("minGroupSize") Integer minGroupSize,
                               @QueryParam("intersect") List<String> intersect) {
        AuditSettings settings;
        FairnessTable table;
        try {
            settings = settings(tau, reference, minGroupSize, intersect);
            table = AequitasCsv.read(new StringReader(csv == null ? "" : csv));
            StoredReport stored = reports.auditTable(table, settings, caller());
            return Response.status(Response.Status.CREATED).entity(summary(stored, true)).build();
        } catch (IllegalArgumentException e) {
            return OperationOutcomes.response(422, "invalid", e.getMessage());
        } catch (IOException e) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "invalid", "Expected a CSV body: " + e.getMessage());
        }
    }

    /** Runs ClinLoop's model or human-loop audit over the last {@code days} days. */
    @POST
    @Path("reports")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed("compliance-officer")
    public Response run(@QueryParam("kind") String kind, @QueryParam("days") Integer days) {
        ReportKind k;
        try {
            k = ReportKind.valueOf(String.valueOf(kind).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "value",
                    "expected kind MODEL or HUMAN_LOOP, found " + kind);
        }
        int d = days == null ? 90 : days;
        if (k == ReportKind.TABLE || d < 1 || d > 3650) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "value",
                    "expected kind MODEL or HUMAN_LOOP and days 1..3650, found " + kind + " and " + d);
        }
        Instant to = Instant.now();
        StoredReport stored = reports.run(k, to.minus(Duration.ofDays(d)), to, caller());
        return Response.status(Response.Status.CREATED).entity(summary(stored, true)).build();
    }

    @GET
    @Path("reports")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"compliance-officer", "model-steward"})
    public List<Map<String, Object>> list(@QueryParam("limit") Integer limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (StoredReport r : reports.list(limit == null ? 50 : limit)) {
            out.add(summary(r, false));
        }
        return out;
    }

    @GET
    @Path("reports/{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({"compliance-officer", "model-steward"})
    public Response get(@PathParam("id") String id) {
        return reports.get(id).map(r -> Response.ok(summary(r, true)).build())
                .orElseGet(() -> OperationOutcomes.response(Response.Status.NOT_FOUND, "not-found", "No fairness report " + id + "."));
    }

    private static Map<String, Object> summary(StoredReport r, boolean withContent) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("kind", r.kind().name());
        m.put("version", r.version());
        m.put("createdAt", r.createdAt().toString());
        m.put("createdBy", r.createdBy());
        m.put("periodFrom", String.valueOf(r.periodFrom()));
        m.put("periodTo", String.valueOf(r.periodTo()));
        m.put("contentHash", r.contentHash());
        if (withContent) {
            m.put("content", org.clinloop.audit.EntryCodec.parseDetail(r.contentJson()));
        }
        return m;
    }

    static AuditSettings settings(Double tau, String reference, Integer minGroupSize, List<String> intersect) {
        ReferencePolicy policy = ReferencePolicy.MAJORITY;
        Map<String, String> named = new LinkedHashMap<>();
        if (reference != null && !reference.isBlank() && !"majority".equalsIgnoreCase(reference)) {
            if ("min_metric".equalsIgnoreCase(reference)) {
                policy = ReferencePolicy.MIN_METRIC;
            } else {
                policy = ReferencePolicy.NAMED;
                for (String pair : reference.split(",")) {
                    String[] kv = pair.split("=", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("Expected reference majority, min_metric or attr=group,...; found "
                                + reference + ".");
                    }
                    named.put(kv[0], kv[1]);
                }
            }
        }
        List<List<String>> pairs = new ArrayList<>();
        for (String p : intersect == null ? List.<String>of() : intersect) {
            pairs.add(List.of(p.split(":", 2)));
        }
        return new AuditSettings(tau == null ? 0.8 : tau, policy, named, 0.05, minGroupSize == null ? 1 : minGroupSize, pairs);
    }

    private Actor caller() {
        return Callers.require(security);
    }
}
