package org.clinloop.audit.web;

import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Optional;
import java.util.List;
import java.util.Map;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditExport;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.CallerText;
import org.clinloop.audit.ConsistencyProof;
import org.clinloop.audit.InclusionProof;
import org.clinloop.audit.SignedTreeHead;
import org.clinloop.audit.SigningKeyRefusedException;
import org.clinloop.audit.TreeHeadKey;
import org.clinloop.audit.ChainVerification;

/**
 * Read-only audit trail for compliance officers. Every read is itself recorded: reads of entries
 * (patient data) as {@code PATIENT_DATA_READ} by {@link PatientDataReads}, like any other read of
 * patient data; verification, tree heads and proofs (hashes only) by the methods themselves.
 */
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
    @NoPatientData("a count and hashes; recorded as AUDIT_VERIFIED")
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
    public List<AuditEntry> entries(@QueryParam("patient") String patient, @QueryParam("type") String type,
                                    @QueryParam("actor") String actorId, @QueryParam("from") String from,
                                    @QueryParam("to") String to, @QueryParam("limit") Integer limit) {
        caller();
        AuditQuery query;
        try {
            query = new AuditQuery(patient, type == null ? null : AuditEventType.valueOf(type), actorId,
                    from == null ? null : Instant.parse(from), to == null ? null : Instant.parse(to),
                    limit == null ? 100 : limit);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new WebApplicationException(OperationOutcomes.response(Response.Status.BAD_REQUEST, "value",
                    "Expected type one of " + Arrays.toString(AuditEventType.values()) + ", from/to as ISO-8601 "
                            + "instants with from before to, and limit 1..1000; found type=" + type + ", from=" + from
                            + ", to=" + to + ", limit=" + limit + "."));
        }
        return log.read(query);
    }

    /** The kinds of event the log records, for a search form. */
    @GET
    @Path("event-types")
    @RolesAllowed("compliance-officer")
    @NoPatientData("the names of event kinds")
    public List<String> eventTypes() {
        caller();
        return Arrays.stream(AuditEventType.values()).map(Enum::name).sorted().toList();
    }

    @GET
    @Path("entries/{sequence}")
    @RolesAllowed("compliance-officer")
    public Response entry(@PathParam("sequence") long sequence) {
        caller();
        Optional<AuditEntry> entry = log.entry(sequence);
        return entry.map(e -> Response.ok(e).build()).orElseGet(() -> OperationOutcomes.response(
                Response.Status.NOT_FOUND, "not-found", "No audit entry " + sequence + "."));
    }

    /**
     * The current signed tree head (a new one is signed when the log has grown); 503 with an
     * OperationOutcome when the signing key on disk is not the pinned one.
     */
    @GET
    @Path("tree-head")
    @RolesAllowed("compliance-officer")
    @NoPatientData("a signed hash; recorded as AUDIT_READ")
    public Response treeHead() {
        Actor actor = caller();
        SignedTreeHead head;
        try {
            head = log.treeHead();
        } catch (SigningKeyRefusedException e) {
            return OperationOutcomes.response(Response.Status.SERVICE_UNAVAILABLE, "security", e.getMessage());
        }
        recordRead(actor, Map.of("treeHead", head.size()));
        return Response.ok(head).build();
    }

    @GET
    @Path("tree-heads")
    @RolesAllowed("compliance-officer")
    @NoPatientData("signed hashes; recorded as AUDIT_READ")
    public List<SignedTreeHead> treeHeads(@QueryParam("limit") Integer limit) {
        Actor actor = caller();
        List<SignedTreeHead> heads = log.treeHeads(limit == null ? 50 : limit);
        recordRead(actor, Map.of("treeHeads", heads.size()));
        return heads;
    }

    /** The public half of the tree-head signing key: public, so that anyone can check a head. */
    @GET
    @Path("public-key")
    @PermitAll
    @NoPatientData("a public key")
    public Map<String, String> publicKey() {
        TreeHeadKey key = log.signingKey();
        return Map.of("keyId", key.keyId(), "algorithm", key.algorithm(), "publicKey", key.publicKey(), "pem", key.pem());
    }

    @GET
    @Path("proof/inclusion")
    @RolesAllowed("compliance-officer")
    @NoPatientData("hashes; recorded as AUDIT_READ")
    public Response inclusion(@QueryParam("sequence") Long sequence, @QueryParam("size") Long size) {
        Actor actor = caller();
        if (sequence == null) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "required",
                    "expected a sequence query parameter, found none");
        }
        try {
            InclusionProof proof = log.inclusionProof(sequence, size == null ? 0 : size);
            recordRead(actor, Map.of("inclusionProof", sequence, "treeSize", proof.treeSize()));
            return Response.ok(proof).build();
        } catch (IllegalArgumentException e) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "value", e.getMessage());
        }
    }

    @GET
    @Path("proof/consistency")
    @RolesAllowed("compliance-officer")
    @NoPatientData("hashes; recorded as AUDIT_READ")
    public Response consistency(@QueryParam("first") Long first, @QueryParam("second") Long second) {
        Actor actor = caller();
        if (first == null || second == null) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "required",
                    "expected first and second query parameters, found first=" + first + ", second=" + second);
        }
        try {
            ConsistencyProof proof = log.consistencyProof(first, second);
            recordRead(actor, Map.of("consistencyProof", first + ".." + second));
            return Response.ok(proof).build();
        } catch (IllegalArgumentException e) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "value", e.getMessage());
        }
    }

    /** The whole log up to a fresh signed tree head, as NDJSON that {@link AuditExport#verify} checks offline. */
    @GET
    @Path("export")
    @RolesAllowed("compliance-officer")
    @NoPatientData("the whole log; recorded as AUDIT_EXPORTED with the signed head it exports")
    @Produces("application/x-ndjson")
    public Response export() {
        Actor actor = caller();
        SignedTreeHead head;
        try {
            head = log.treeHead();
        } catch (SigningKeyRefusedException e) {
            return OperationOutcomes.response(Response.Status.SERVICE_UNAVAILABLE, "security", e.getMessage());
        }
        TreeHeadKey key = log.signingKey();
        exported.fire(new Exported(actor, head));
        StreamingOutput body = out -> {
            Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            AuditExport.writeHeader(w, head, key);
            IOException[] failure = new IOException[1];
            log.forEach(1, head.size(), e -> {
                if (failure[0] == null) {
                    try {
                        AuditExport.writeEntry(w, e);
                    } catch (IOException ex) {
                        failure[0] = ex;
                    }
                }
            });
            if (failure[0] != null) {
                throw failure[0];
            }
            w.flush();
        };
        return Response.ok(body).header("Content-Disposition", "attachment; filename=\"clinloop-audit-" + head.size()
                + ".ndjson\"").build();
    }

    /** Fired before an export streams, so that the export itself is recorded. */
    public record Exported(Actor actor, SignedTreeHead head) {
    }

    @Inject
    jakarta.enterprise.event.Event<Exported> exported;

    /** Every compliance read is itself recorded (in its own transaction, after the read). */
    private void recordRead(Actor actor, Map<String, Object> what) {
        log.append(AuditEvent.of(AuditEventType.AUDIT_READ, actor, null, what));
    }

    private Actor caller() {
        return Callers.require(security);
    }
}
