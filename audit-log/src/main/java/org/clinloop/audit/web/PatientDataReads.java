package org.clinloop.audit.web;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ContainerResponseFilter;
import jakarta.ws.rs.container.DynamicFeature;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.FeatureContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.Provider;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.PatientData;
import org.clinloop.audit.PatientDataRead;
import org.clinloop.audit.outage.DatabaseUnavailable;
import org.clinloop.audit.outage.OutageLog;

/**
 * The REST edge's record of patient-data reads: every {@code GET} under {@code /api} whose method
 * is not marked {@link NoPatientData} gets a response filter that appends one
 * {@code PATIENT_DATA_READ} entry per request, refused and failed reads included. Bound here, once
 * per resource method at deployment, so no resource method records anything itself.
 *
 * <p>What the entry names: the patients of every returned value that is {@link PatientData}, the
 * {@code {patient}} path parameter (the one asked for, even when refused), and the caller's own
 * patient on {@code /api/me/…}; the other path parameters as the ids asked for; the query
 * parameters as sent; the route template as the resource.
 *
 * <p>The entry is appended (in its own transaction: REST reads run in none, see
 * {@code docs/ARCHITECTURE.md}) after the answer is built and before its body is written, so no
 * patient data leaves without its entry committed. When it cannot be appended the caller gets a
 * 500 naming an incident instead of the data.
 */
@Provider
public class PatientDataReads implements DynamicFeature {

    @Override
    public void configure(ResourceInfo resource, FeatureContext context) {
        Method method = resource.getResourceMethod();
        Class<?> type = resource.getResourceClass();
        if (method.isAnnotationPresent(GET.class) && !method.isAnnotationPresent(NoPatientData.class)
                && !type.isAnnotationPresent(NoPatientData.class)) {
            context.register(new Recorder(route(type, method)));
        }
    }

    /** The route template below the application path, e.g. {@code patients/{patient}/adjustments}. */
    static String route(Class<?> type, Method method) {
        StringBuilder route = new StringBuilder();
        for (Path p : new Path[] {type.getAnnotation(Path.class), method.getAnnotation(Path.class)}) {
            if (p != null) {
                String part = p.value().replaceAll("^/+|/+$", "");
                if (!part.isEmpty()) {
                    route.append(route.length() == 0 ? "" : "/").append(part);
                }
            }
        }
        return route.toString();
    }

    /** Records one route's reads. */
    static final class Recorder implements ContainerResponseFilter {

        private static final Logger LOG = Logger.getLogger(PatientDataReads.class.getName());
        private static final OutageLog OUTAGES = new OutageLog(LOG, "Recording REST reads");
        private final String route;
        private volatile AuditLog log;

        Recorder(String route) {
            this.route = route;
        }

        @Override
        public void filter(ContainerRequestContext request, ContainerResponseContext response) {
            Principal principal = request.getSecurityContext().getUserPrincipal();
            Optional<Actor> caller = Callers.from(principal);
            if (caller.isEmpty()) {
                return; // refused before any data was looked up: a failed sign-in, recorded as such
            }
            Actor actor = caller.get();
            UriInfo uri = request.getUriInfo();
            String resource = uri.getBaseUri().getPath().replaceAll("/+$", "") + "/" + route;
            Set<String> patients = new TreeSet<>();
            List<String> ids = new ArrayList<>();
            uri.getPathParameters().forEach((name, values) -> (PATIENT.equals(name) ? patients : ids).addAll(values));
            if (route.startsWith("me/") && actor.patientId() != null) {
                patients.add(actor.patientId());
            }
            int returned = response.getStatus() < 300 ? count(response.getEntity(), patients) : 0;
            PatientDataRead read = PatientDataRead.of(request.getMethod(), uri.getRequestUri().getRawPath(), "read", resource,
                    ids, returned, patients, query(uri.getQueryParameters()), Callers.client(principal),
                    actor.roles(), response.getStatus())
                    .refusedAsNotFound((String) request.getProperty(PatientDataRead.REFUSED_AS_NOT_FOUND));
            try {
                log().append(read.event(actor));
            } catch (RuntimeException e) {
                if (OUTAGES.outage(e)) {
                    // Issue 17: unrecorded, so unanswered; the database is down, the reader may ask again.
                    response.setStatus(503);
                    response.getHeaders().putSingle("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS);
                    response.setEntity(OperationOutcomes.of("error", "transient", DatabaseUnavailable.ANSWER),
                            new Annotation[0], MediaType.APPLICATION_JSON_TYPE);
                    return;
                }
                String incident = UUID.randomUUID().toString();
                LOG.log(Level.SEVERE, "The read " + read.request() + " by " + actor.id()
                        + " could not be recorded; its answer was withheld, incident " + incident, e);
                response.setStatus(500);
                response.setEntity(OperationOutcomes.of("error", "exception", "Internal error, incident " + incident
                        + ": the read could not be recorded, so its answer was not sent."), new Annotation[0],
                        MediaType.APPLICATION_JSON_TYPE);
            }
        }

        private AuditLog log() {
            AuditLog l = log;
            if (l == null) {
                l = CDI.current().select(AuditLog.class).get();
                log = l;
            }
            return l;
        }

        private static final String PATIENT = "patient";

        /** How many values the answer holds; the patients of those that are patient data are added. */
        static int count(Object entity, Set<String> patients) {
            if (entity == null) {
                return 0;
            }
            if (entity instanceof Collection<?> values) {
                values.forEach(v -> name(v, patients));
                return values.size();
            }
            name(entity, patients);
            return 1;
        }

        private static void name(Object value, Set<String> patients) {
            if (value instanceof PatientData data && data.patientId() != null) {
                patients.add(data.patientId());
            }
        }

        static List<String> query(MultivaluedMap<String, String> parameters) {
            List<String> out = new ArrayList<>();
            parameters.forEach((name, values) -> values.forEach(v -> out.add(name + "=" + v)));
            return out;
        }
    }
}
