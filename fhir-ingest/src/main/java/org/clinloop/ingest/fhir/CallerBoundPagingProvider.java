package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.FifoMemoryPagingProvider;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.clinloop.audit.Actor;
import org.clinloop.audit.web.Callers;

/**
 * HAPI's in-memory paging, with each stored search bound to the caller who ran it.
 *
 * <p>A paging link ({@code ?_getpages=…}) is a bearer capability: without a binding, anyone with
 * any token who saw or guessed one read the pages of someone else's search (issue 14: a patient
 * followed a link from a clinician's search and was answered 200 with another patient's
 * Observations). Here a page is served only to the same {@link Actor} — the same account with the
 * same roles and the same patient and practitioner links — that created the search, so a page is
 * never answered under a weaker authorization than the search itself. (Providers whose search
 * re-checks on every page, like {@code ObservationProvider}, do so with that same actor.)
 *
 * <p>Anyone else gets exactly what an unknown or expired page id gets: HAPI's 410 with an
 * OperationOutcome, so the answer does not tell whether the page exists. A request without a
 * caller is 401 whatever the id, before any lookup.
 */
final class CallerBoundPagingProvider extends FifoMemoryPagingProvider {

    private final int capacity;
    /** Who ran each stored search, in insertion order; forgotten with the search (the FIFO is by insertion too). */
    private final Map<String, Actor> creators;

    CallerBoundPagingProvider(int capacity) {
        super(capacity);
        this.capacity = capacity;
        this.creators = new LinkedHashMap<>() {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Actor> eldest) {
                return size() > CallerBoundPagingProvider.this.capacity;
            }
        };
    }

    @Override
    public synchronized String storeResultList(RequestDetails request, IBundleProvider list) {
        String id = super.storeResultList(request, list);
        // A search without a caller (none is served today) stores a page nobody can follow.
        caller(request).ifPresent(actor -> creators.put(id, actor));
        return id;
    }

    @Override
    public synchronized IBundleProvider retrieveResultList(RequestDetails request, String id) {
        Actor caller = FhirCallers.actor(request);
        IBundleProvider stored = super.retrieveResultList(request, id);
        return stored != null && caller.equals(creators.get(id)) ? stored : null;
    }

    @Override
    public IBundleProvider retrieveResultList(RequestDetails request, String id, String pageId) {
        FhirCallers.actor(request);
        return null; // page ids within a search are not issued by this provider: unknown, as for anyone
    }

    private static Optional<Actor> caller(RequestDetails request) {
        return request instanceof ServletRequestDetails servlet
                ? Callers.from(servlet.getServletRequest().getUserPrincipal()) : Optional.empty();
    }
}
