package org.clinloop.approval.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import org.clinloop.approval.Panel;
import org.clinloop.approval.PanelEntry;
import org.clinloop.audit.web.Callers;

/**
 * {@code GET /api/panel}: the signed-in clinician's own panel, riskiest first. Read-only; recorded
 * as a {@code PATIENT_DATA_READ} naming every patient listed, like every other read under /api.
 */
@Path("panel")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class PanelResource {

    @Inject
    Panel panel;

    @Context
    SecurityContext security;

    @GET
    @RolesAllowed("clinician")
    public List<PanelEntry> mine() {
        return panel.of(Callers.require(security));
    }
}
