package org.clinloop.audit.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.ChainVerification;

/** Read-only audit trail for compliance officers. Every read is itself recorded. */
@Path("audit")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    @Inject
    AuditLog log;

    @Context
    SecurityContext security;

    @GET
    @Path("verify")
    @RolesAllowed("compliance-officer")
    @Transactional
    public ChainVerification verify() {
        Actor actor = caller();
        ChainVerification result = log.verify();
        log.append(AuditEvent.of(AuditEventType.AUDIT_VERIFIED, actor, null, Map.of(
                "intact", result.intact(), "entriesChecked", result.entriesChecked(),
                "firstBroken", result.firstBroken(), "headHash", result.headHash())));
        return result;
    }

    @GET
    @Path("entries")
    @RolesAllowed("compliance-officer")
    @Transactional
    public List<AuditEntry> entries(@QueryParam("patient") String patient, @QueryParam("type") String type,
                                    @QueryParam("limit") Integer limit) {
        Actor actor = caller();
        AuditQuery query;
        try {
            query = new AuditQuery(patient, type == null ? null : AuditEventType.valueOf(type),
                    limit == null ? 100 : limit);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("Expected type one of " + Arrays.toString(AuditEventType.values())
                    + " and limit 1..1000; found type=" + type + ", limit=" + limit + ".");
        }
        List<AuditEntry> entries = log.read(query);
        log.append(AuditEvent.of(AuditEventType.AUDIT_READ, actor, patient, Map.of(
                "query", Map.of("patient", String.valueOf(patient), "type", String.valueOf(type),
                        "limit", query.limit()),
                "returned", entries.size())));
        return entries;
    }

    private Actor caller() {
        return Callers.require(security);
    }
}
