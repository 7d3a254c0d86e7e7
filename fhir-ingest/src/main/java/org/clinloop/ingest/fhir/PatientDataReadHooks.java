package org.clinloop.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.BundleUtil;
import ca.uhn.fhir.util.FhirTerser;
import java.security.Principal;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.PatientDataRead;
import org.clinloop.audit.web.Callers;
import org.hl7.fhir.instance.model.api.IBaseBundle;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.instance.model.api.IBaseReference;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;

/**
 * The FHIR edge's record of patient-data reads: every read, search, page, history and operation
 * request leaves one {@code PATIENT_DATA_READ} entry naming the patients whose data its answer
 * held, refused and failed ones included. One place for every provider: HAPI calls these hooks on
 * a plain {@code RestfulServer} (its {@code STORAGE_PRESHOW_RESOURCES} pointcut fires only in the
 * JPA server and the in-memory providers, not for ClinLoop's own providers).
 *
 * <ul>
 *   <li>{@code SERVER_OUTGOING_RESPONSE}, after the provider returned and the answer (a search's
 *       first page included) was built, before a byte of it is written: the entry is appended then,
 *       in its own transaction (the providers read in none), and if it cannot be, the caller gets a
 *       500 instead of the data.</li>
 *   <li>{@code SERVER_HANDLE_EXCEPTION}, for a read refused (403), not found (404, 410), invalid (400)
 *       or failed: the entry names the patient and the ids asked for.</li>
 * </ul>
 *
 * <p>Patients of an answer: each Patient returned, every Patient any returned resource refers to
 * (an Observation's subject, a Task's {@code for}, an AuditEvent's entity), and the patient a search
 * names ({@code patient=}, {@code subject=}) even when nothing was found. MeasureReports are not
 * recorded: they are aggregates over groups of at least 11, like the REST fairness reports.
 */
@Interceptor
public class PatientDataReadHooks {

    private static final Logger LOG = Logger.getLogger(PatientDataReadHooks.class.getName());
    private static final Set<RestOperationTypeEnum> READS = EnumSet.of(RestOperationTypeEnum.READ,
            RestOperationTypeEnum.VREAD, RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.SEARCH_SYSTEM,
            RestOperationTypeEnum.GET_PAGE, RestOperationTypeEnum.HISTORY_INSTANCE, RestOperationTypeEnum.HISTORY_TYPE,
            RestOperationTypeEnum.HISTORY_SYSTEM, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);
    private static final Set<String> NOT_PATIENT_DATA = Set.of("MeasureReport");
    /** Search parameters that name the patient a search is about. */
    private static final Set<String> PATIENT_PARAMETERS = Set.of("patient", "subject");
    private static final String RECORDED = PatientDataReadHooks.class.getName() + ".recorded";

    private final FhirContext fhir;
    private final AuditLog log;

    public PatientDataReadHooks(FhirContext fhir, AuditLog log) {
        this.fhir = fhir;
        this.log = log;
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void answered(RequestDetails request, IBaseResource response) {
        Optional<Actor> actor = reader(request);
        if (actor.isEmpty()) {
            return;
        }
        List<IBaseResource> resources = resources(response);
        Set<String> patients = new TreeSet<>();
        List<String> ids = new ArrayList<>();
        FhirTerser terser = fhir.newTerser();
        for (IBaseResource r : resources) {
            IIdType id = r.getIdElement();
            String type = fhir.getResourceType(r);
            ids.add(type + "/" + id.getIdPart());
            if ("Patient".equals(type)) {
                patients.add(id.getIdPart());
            }
            for (IBaseReference ref : terser.getAllPopulatedChildElementsOfType(r, IBaseReference.class)) {
                IIdType target = ref.getReferenceElement();
                if (target != null && "Patient".equals(target.getResourceType()) && target.hasIdPart()) {
                    patients.add(target.getIdPart());
                }
            }
        }
        patients.addAll(askedFor(request));
        PatientDataRead read = read(request, actor.get(), ids, resources.size(), patients, 200);
        request.getUserData().put(RECORDED, Boolean.TRUE);
        try {
            log.append(read.event(actor.get()));
        } catch (RuntimeException e) {
            if (OutcomeTranslator.OUTAGES.outage(e)) {
                throw OutcomeTranslator.unavailable(); // unrecorded, so unanswered; the reader may ask again
            }
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "The read " + read.request() + " by " + actor.get().id()
                    + " could not be recorded; its answer was withheld, incident " + incident, e);
            throw new InternalErrorException("Internal error, incident " + incident
                    + ": the read could not be recorded, so its answer was not sent.");
        }
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed(RequestDetails request, BaseServerResponseException exception) {
        Optional<Actor> actor = reader(request);
        if (actor.isEmpty() || request.getUserData().containsKey(RECORDED)) {
            return true;
        }
        Set<String> patients = new TreeSet<>();
        List<String> ids = new ArrayList<>();
        IIdType asked = request.getId();
        if (asked != null && asked.hasIdPart() && request.getResourceName() != null) {
            ids.add(request.getResourceName() + "/" + asked.getIdPart());
            if ("Patient".equals(request.getResourceName())) {
                patients.add(asked.getIdPart());
            }
        }
        patients.addAll(askedFor(request));
        try {
            Object hidden = request instanceof ServletRequestDetails servlet
                    ? servlet.getServletRequest().getAttribute(PatientDataRead.REFUSED_AS_NOT_FOUND) : null;
            log.append(read(request, actor.get(), ids, 0, patients, exception.getStatusCode())
                    .refusedAsNotFound((String) hidden).event(actor.get()));
        } catch (RuntimeException e) {
            if (OutcomeTranslator.OUTAGES.outage(e)) {
                return true; // the database is down: nothing can be recorded, and the outage is logged once
            }
            LOG.log(Level.SEVERE, "A failed read (" + exception.getStatusCode() + ") by " + actor.get().id()
                    + " could not be recorded", e);
        }
        return true;
    }

    /**
     * The patients a search is about ({@code patient=}, {@code subject=}): named whether or not
     * anything was found, since an empty answer also says something about them.
     */
    private static Set<String> askedFor(RequestDetails request) {
        Set<String> asked = new TreeSet<>();
        for (Map.Entry<String, String[]> p : request.getParameters().entrySet()) {
            if (PATIENT_PARAMETERS.contains(p.getKey())) {
                for (String v : p.getValue()) {
                    for (String one : v.split(",")) {
                        asked.add(one.startsWith("Patient/") ? one.substring("Patient/".length()) : one);
                    }
                }
            }
        }
        return asked;
    }

    /** The actor of a read of patient data, or empty for anything else. */
    private static Optional<Actor> reader(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        String type = request.getResourceName(); // null for a page of a search
        if (operation == null || !READS.contains(operation) || (type != null && NOT_PATIENT_DATA.contains(type))
                || !(request instanceof ServletRequestDetails servlet)) {
            return Optional.empty();
        }
        return Callers.from(servlet.getServletRequest().getUserPrincipal());
    }

    private PatientDataRead read(RequestDetails request, Actor actor, List<String> ids, int returned,
                                 Set<String> patients, int status) {
        Principal principal = ((ServletRequestDetails) request).getServletRequest().getUserPrincipal();
        List<String> query = new ArrayList<>();
        request.getParameters().forEach((name, values) -> {
            for (String v : values) {
                query.add(name + "=" + v);
            }
        });
        String path = ((ServletRequestDetails) request).getServletRequest().getRequestURI();
        String resource = request.getResourceName() != null ? request.getResourceName() : "Bundle";
        return PatientDataRead.of(request.getRequestType().name(), path, request.getRestOperationType().getCode(),
                resource, ids, returned, patients, query, Callers.client(principal), actor.roles(), status);
    }

    /** The resources an answer holds: a Bundle's entries (OperationOutcomes left out), or the one resource. */
    private List<IBaseResource> resources(IBaseResource response) {
        if (response == null || response instanceof IBaseOperationOutcome) {
            return List.of();
        }
        if (response instanceof IBaseBundle bundle) {
            return BundleUtil.toListOfResources(fhir, bundle).stream()
                    .filter(r -> !(r instanceof IBaseOperationOutcome)).toList();
        }
        return List.of(response);
    }
}
