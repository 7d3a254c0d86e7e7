package org.clinloop.ingest.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Map;
import org.clinloop.audit.web.Callers;
import org.clinloop.audit.web.JsonInput;
import org.clinloop.ingest.PatientDirectory;
import org.hl7.fhir.r4.model.Patient;

/**
 * {@code PUT /api/patients/{id}/clinician}: the patient's responsible clinician hands the patient
 * over to another clinician, with a reason (issue 14). The only way a patient moves to another
 * clinician's panel once one is responsible: an EHR's Patient update that would do so is refused.
 */
@Path("patients/{patient}/clinician")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class CareTeamResource {

    @Inject
    PatientDirectory directory;

    @Context
    SecurityContext security;

    /** Body {@code {"practitioner": "dr-okafor", "reason": "…"}}; answers the patient's new version and clinician. */
    @PUT
    @RolesAllowed("clinician")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> handOver(@PathParam("patient") String patient, JsonObject body) {
        JsonInput in = new JsonInput(body);
        String practitioner = in.requiredString("practitioner");
        String reason = in.requiredString("reason");
        in.validate();
        Patient stored = directory.handOver(patient, practitioner, reason, Callers.require(security));
        return Map.of("patient", patient, "practitioner", practitioner,
                "version", Integer.parseInt(stored.getMeta().getVersionId()));
    }
}
