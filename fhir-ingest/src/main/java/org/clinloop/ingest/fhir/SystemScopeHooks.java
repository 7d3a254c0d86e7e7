package org.clinloop.ingest.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.approval.Roles;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.clinloop.audit.web.Callers;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * SMART system scopes, enforced for every system client (role {@code ehr-system}) before any work
 * is done on its request (issue 14): at {@code SERVER_INCOMING_REQUEST_POST_PROCESSED}, the first
 * point at which HAPI knows the interaction and the resource type, before the body is read or a
 * provider is called. A request its scopes do not allow is answered 403 with an OperationOutcome
 * naming the scope needed and the system scopes granted, and recorded as {@code SCOPE_REFUSED}.
 * People (clinicians, patients, officers) are held to their roles and relationships instead; their
 * tokens carry no system scopes. The entries of a transaction or batch Bundle are checked by
 * {@link TransactionProvider} with {@link #refusedEntries}, all of them before the first is looked at.
 */
@Interceptor
public class SystemScopeHooks {

    private static final Logger LOG = Logger.getLogger(SystemScopeHooks.class.getName());
    private final AuditLog log;

    public SystemScopeHooks(AuditLog log) {
        this.log = log;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean beforeAnyWork(RequestDetails request) {
        Optional<Actor> actor = system(request);
        if (actor.isEmpty()) {
            return true;
        }
        SystemScopes scopes = scopes(request);
        SystemScopes.Need need = SystemScopes.of(request.getRestOperationType(), request.getResourceName());
        String message;
        String needed;
        if (need instanceof SystemScopes.Needs n) {
            if (scopes.allow(n.interaction())) {
                return true;
            }
            message = scopes.refusal(n.interaction());
            needed = n.interaction().scope();
        } else if (need instanceof SystemScopes.Ungrantable u) {
            message = scopes.refusal(u);
            needed = null;
        } else {
            return true;
        }
        record(actor.get(), request, scopes, List.of(new Refused(null, needed, message)));
        throw forbidden(List.of(new Refused(null, needed, message)));
    }

    /** One interaction refused: the Bundle entry (null for the request itself), the scope it needed (null: none grants it). */
    record Refused(Integer entry, String needed, String message) {
    }

    /** The caller when it is a system client, held to its scopes; empty for people and for requests without a token. */
    static Optional<Actor> system(RequestDetails request) {
        if (!(request instanceof ServletRequestDetails servlet)) {
            return Optional.empty();
        }
        return Callers.from(servlet.getServletRequest().getUserPrincipal()).filter(a -> a.hasRole(Roles.EHR_SYSTEM));
    }

    static SystemScopes scopes(RequestDetails request) {
        Principal principal = ((ServletRequestDetails) request).getServletRequest().getUserPrincipal();
        return new SystemScopes(Callers.scopes(principal));
    }

    /** The entries of a transaction or batch Bundle that the scopes do not allow, in order. */
    static List<Refused> refusedEntries(SystemScopes scopes, Bundle bundle) {
        List<Refused> refused = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryRequestComponent r = bundle.getEntry().get(i).getRequest();
            SystemScopes.Need need = SystemScopes.entry(r.hasMethod() ? r.getMethod().toCode() : null, r.getUrl());
            if (need instanceof SystemScopes.Needs n && !scopes.allow(n.interaction())) {
                refused.add(new Refused(i, n.interaction().scope(), "Bundle.entry[" + i + "]: " + scopes.refusal(n.interaction())));
            } else if (need instanceof SystemScopes.Ungrantable u) {
                refused.add(new Refused(i, null, "Bundle.entry[" + i + "]: " + scopes.refusal(u)));
            }
        }
        return refused;
    }

    /**
     * Records a refusal as {@code SCOPE_REFUSED}: the client, the request, each refused interaction
     * (the first {@value CallerText#MAX_ITEMS}) with the scope it needed, and the scopes granted. In
     * its own transaction; a database outage loses the record, not the refusal.
     */
    void record(Actor actor, RequestDetails request, SystemScopes scopes, List<Refused> refused) {
        ServletRequestDetails servlet = (ServletRequestDetails) request;
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("client", String.valueOf(Callers.client(servlet.getServletRequest().getUserPrincipal())));
        detail.put("request", CallerText.capped(servlet.getServletRequest().getMethod() + " "
                + servlet.getServletRequest().getRequestURI()));
        detail.put("interaction", request.getRestOperationType() == null ? "unknown"
                : request.getRestOperationType().getCode());
        List<Map<String, Object>> items = new ArrayList<>();
        for (Refused r : refused) {
            Map<String, Object> item = new LinkedHashMap<>();
            if (r.entry() != null) {
                item.put("entry", r.entry());
            }
            item.put("needed", r.needed() == null ? "none grants it" : r.needed());
            items.add(item);
        }
        detail.put("refused", CallerText.capped(items, n -> Map.of("cut", CallerText.cutItems(n, "refused interactions"))));
        detail.put("granted", CallerText.capped(scopes.systemScopes(), n -> CallerText.cutItems(n, "scopes")));
        try {
            log.append(AuditEvent.of(AuditEventType.SCOPE_REFUSED, actor, null, detail));
        } catch (RuntimeException e) {
            if (!OutcomeTranslator.OUTAGES.outage(e)) {
                LOG.log(Level.SEVERE, "A scope refusal of " + actor.id() + " could not be recorded", e);
            }
        }
    }

    /** 403 with one OperationOutcome issue per refused interaction. */
    static ForbiddenOperationException forbidden(List<Refused> refused) {
        OperationOutcome oo = new OperationOutcome();
        for (Refused r : refused) {
            OperationOutcome.OperationOutcomeIssueComponent issue = oo.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.FORBIDDEN)
                    .setDiagnostics(r.message());
            if (r.entry() != null) {
                issue.addExpression("Bundle.entry[" + r.entry() + "]");
            }
        }
        return new ForbiddenOperationException(refused.get(0).message(), oo);
    }
}
