package org.clinloop.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What a {@code PATIENT_DATA_READ} audit entry records: one request that gave someone patient
 * data, or tried to, in the manner of IHE Basic Audit Log Patterns (BALP "Read" and "Query"). Who
 * is the entry's actor, here with the roles they held and the client app they acted through;
 * when is the entry's time; this record says which patients, which resource and ids, the query as
 * sent, and the outcome. One entry per request: a search whose answer holds 50 patients' data is
 * one entry naming the 50. The entry's patient is set when exactly one patient is named, so that
 * {@code /api/audit/entries?patient=} finds it; an entry naming several is found by type, actor
 * and time.
 *
 * <p>Only what the request itself carried is recorded beside the identifiers: the search
 * parameters as sent (the caller's own words), never anything read from the records returned.
 * The detail is bounded whatever the caller sends: at most {@value #MAX_IDS} resource ids (the
 * count of what was returned is exact), {@value #MAX_QUERY_PARAMETERS} query parameters and
 * {@value #MAX_TEXT} characters per text.
 *
 * <p>Record version 1 (entries carry no {@code recordVersion} key). Owned by audit-log: both edges
 * write it (the REST filter in {@code web}, the FHIR interceptor in fhir-ingest) and the FHIR
 * {@code AuditEvent} view reads it.
 *
 * @param request     the HTTP method and path as sent, without the query ({@code GET /fhir/Observation})
 * @param interaction the FHIR RESTful interaction ({@code read}, {@code vread}, {@code search-type},
 *                    {@code get-page}, {@code extended-operation-type} for {@code $lastn}, …), or
 *                    {@code read} for a REST read
 * @param resource    the FHIR resource type ({@code Observation}), or the REST route
 *                    ({@code /api/patients/{patient}/adjustments})
 * @param ids         ids of the resources returned, or asked for when the read failed, in order, at most
 *                    {@value #MAX_IDS}
 * @param returned    how many resources (or REST values) the answer held
 * @param patients    every patient whose data the answer held, or whose data was asked for when the read
 *                    failed; sorted, distinct
 * @param query       the search parameters as sent, {@code name=value}, by name
 * @param client      the client app the token was issued to ({@code azp}), or null
 * @param roles       the roles the actor held, sorted
 * @param outcome     how the read ended
 * @param status      the HTTP status answered
 */
public record PatientDataRead(String request, String interaction, String resource, List<String> ids, int returned,
                              List<String> patients, List<String> query, String client, List<String> roles,
                              Outcome outcome, int status) {

    public static final int RECORD_VERSION = 1;

    /**
     * The request attribute under which an error mapper leaves the patient whose record a 404
     * answer hides (the caller may not read it, and is told only that it is not found): the read
     * is then recorded as {@link Outcome#REFUSED} of that patient, with the 404 it was answered.
     */
    public static final String REFUSED_AS_NOT_FOUND = "org.clinloop.audit.refusedAsNotFound";
    public static final AuditEventType TYPE = AuditEventType.PATIENT_DATA_READ;
    public static final int MAX_IDS = 100;
    public static final int MAX_QUERY_PARAMETERS = 30;
    public static final int MAX_TEXT = 256;

    /** How a read ended, from its HTTP status. */
    public enum Outcome {
        /** 2xx/3xx: the data was sent. */
        SUCCESS,
        /** 401/403: the caller may not read it. */
        REFUSED,
        /** 404/410: no such record (or page), as far as this caller may know. */
        NOT_FOUND,
        /** Any other 4xx: the request was malformed. */
        INVALID,
        /** 5xx: the server failed; nothing was sent. */
        FAILED;

        public static Outcome of(int status) {
            if (status < 400) {
                return SUCCESS;
            }
            return switch (status) {
                case 401, 403 -> REFUSED;
                case 404, 410 -> NOT_FOUND;
                default -> status < 500 ? INVALID : FAILED;
            };
        }
    }

    public PatientDataRead {
        Objects.requireNonNull(request, "Request is required.");
        Objects.requireNonNull(interaction, "Interaction is required.");
        Objects.requireNonNull(resource, "Resource is required.");
        ids = List.copyOf(ids);
        patients = List.copyOf(patients);
        query = List.copyOf(query);
        roles = List.copyOf(roles);
        Objects.requireNonNull(outcome, "Outcome is required.");
        if (returned < 0) {
            throw new IllegalArgumentException("Expected returned ≥ 0, found " + returned + ".");
        }
    }

    /**
     * A read as an edge saw it, bounded: ids and query parameters cut to their maximum, texts
     * clipped, query parameters and patients sorted, patients made distinct (nulls dropped), the
     * outcome taken from the status.
     *
     * @param query       parameters as sent, each {@code name=value}
     */
    public static PatientDataRead of(String method, String path, String interaction, String resource,
                                     Collection<String> ids,
                                     int returned, Collection<String> patients, List<String> query, String client,
                                     Collection<String> roles, int status) {
        List<String> keptIds = new ArrayList<>();
        for (String id : ids) {
            if (id != null && keptIds.size() < MAX_IDS) {
                keptIds.add(clip(id));
            }
        }
        TreeSet<String> named = new TreeSet<>();
        for (String p : patients) {
            if (p != null && !p.isBlank()) {
                named.add(clip(p));
            }
        }
        List<String> keptQuery = new ArrayList<>();
        for (String q : query.stream().sorted().toList()) {
            if (keptQuery.size() == MAX_QUERY_PARAMETERS) {
                keptQuery.add("… " + (query.size() - MAX_QUERY_PARAMETERS) + " more parameters");
                break;
            }
            keptQuery.add(clip(q));
        }
        return new PatientDataRead(clip(method + " " + path), clip(interaction), clip(resource), keptIds, returned, List.copyOf(named),
                keptQuery, client == null ? null : clip(client), List.copyOf(new TreeSet<>(roles)),
                Outcome.of(status), status);
    }

    /**
     * This read as it really ended when its 404 hid a refusal ({@link #REFUSED_AS_NOT_FOUND}):
     * refused, about {@code patient}; unchanged when {@code patient} is null.
     */
    public PatientDataRead refusedAsNotFound(String patient) {
        if (patient == null) {
            return this;
        }
        TreeSet<String> named = new TreeSet<>(patients);
        named.add(clip(patient));
        return new PatientDataRead(request, interaction, resource, ids, returned, List.copyOf(named), query, client,
                roles, Outcome.REFUSED, status);
    }

    /** The one patient the read concerns, or null when it named none or several. */
    public String patient() {
        return patients.size() == 1 ? patients.get(0) : null;
    }

    /** The audit event recording this read by {@code actor}. */
    public AuditEvent event(Actor actor) {
        return AuditEvent.of(TYPE, actor, patient(), toDetail());
    }

    public Map<String, Object> toDetail() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("request", request);
        d.put("interaction", interaction);
        d.put("resource", resource);
        d.put("ids", ids);
        d.put("returned", returned);
        d.put("patients", patients);
        d.put("query", query);
        d.put("client", client);
        d.put("roles", roles);
        d.put("outcome", outcome.name());
        d.put("status", status);
        return d;
    }

    /** Parses the detail of a PATIENT_DATA_READ entry. */
    public static PatientDataRead fromEntry(AuditEntry entry) {
        return parse(DetailReader.of(TYPE, entry));
    }

    /**
     * Parses a PATIENT_DATA_READ detail.
     *
     * @throws IllegalArgumentException for an unknown record version or a key of the wrong shape,
     *                                  naming it, expected versus found
     */
    public static PatientDataRead fromDetail(Map<String, Object> detail) {
        return parse(DetailReader.of(TYPE, detail));
    }

    private static PatientDataRead parse(DetailReader d) {
        d.requireRecordVersion(RECORD_VERSION);
        return new PatientDataRead(d.string("request"), d.string("interaction"), d.string("resource"), d.strings("ids"), d.integer("returned"),
                d.strings("patients"), d.strings("query"), d.nullableString("client"), d.strings("roles"),
                d.constant("outcome", Outcome.class), d.integer("status"));
    }

    /** {@code text} cut to {@value #MAX_TEXT} characters, marked with an ellipsis when cut. */
    static String clip(String text) {
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
    }
}
