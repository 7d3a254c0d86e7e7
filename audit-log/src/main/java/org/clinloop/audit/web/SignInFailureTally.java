package org.clinloop.audit.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.clinloop.audit.SignInFailures;
import org.clinloop.audit.SignInFailures.RefusedBy;

/**
 * Failed sign-ins counted per kind (who refused, why, from where, naming which client and account)
 * until the window closes: a flood of them becomes one {@link SignInFailures} per kind and window.
 * At most {@value #KINDS_PER_WINDOW} kinds are told apart per window; attempts of further kinds
 * are counted together under the source {@code *} (per who refused and why), so memory and the
 * entries written per window stay bounded however many sources, clients or usernames an attacker
 * makes up. Texts an attempt chose (usernames, client ids) are clipped to
 * {@value #MAX_TEXT} characters. Thread-safe.
 */
public final class SignInFailureTally {

    public static final int KINDS_PER_WINDOW = 100;
    static final int MAX_TEXT = 64;

    /** One kind of failure. */
    public record Kind(RefusedBy refusedBy, String reason, String source, String client, String username) {
        public Kind {
            Objects.requireNonNull(refusedBy, "Who refused is required.");
            reason = clip(Objects.requireNonNull(reason, "Reason is required."));
            source = clip(source == null || source.isBlank() ? "unknown" : source);
            client = client == null ? null : clip(client);
            username = username == null ? null : clip(username);
        }
    }

    private static final class Count {
        final String firstRequest;
        int count;
        Instant first;
        Instant last;

        Count(String firstRequest, Instant at) {
            this.firstRequest = firstRequest;
            this.first = at;
            this.last = at;
        }
    }

    private Map<Kind, Count> window = new LinkedHashMap<>();

    /**
     * Counts one failed sign-in.
     *
     * @param request the refused request ({@code GET /api/tasks}), or null
     */
    public synchronized void add(Kind kind, Instant at, String request) {
        Kind counted = window.containsKey(kind) || window.size() < KINDS_PER_WINDOW ? kind
                : new Kind(kind.refusedBy(), kind.reason(), "*", null, null);
        Count c = window.computeIfAbsent(counted, k -> new Count(request == null ? null
                : request.length() <= 200 ? request : request.substring(0, 199) + "…", at));
        c.count++;
        if (at.isBefore(c.first)) {
            c.first = at;
        }
        if (at.isAfter(c.last)) {
            c.last = at;
        }
    }

    /** The window's failures, one per kind in the order first seen, and a new empty window. */
    public List<SignInFailures> close() {
        Map<Kind, Count> closed;
        synchronized (this) {
            closed = window;
            window = new LinkedHashMap<>();
        }
        List<SignInFailures> out = new ArrayList<>(closed.size());
        closed.forEach((k, c) -> out.add(new SignInFailures(k.refusedBy(), k.reason(), k.source(), k.client(),
                k.username(), c.firstRequest, c.count, c.first, c.last)));
        return out;
    }

    /** Counts again what could not be written, so that the next window carries it. */
    public synchronized void restore(List<SignInFailures> unwritten) {
        for (SignInFailures f : unwritten) {
            Kind k = new Kind(f.refusedBy(), f.reason(), f.source(), f.client(), f.username());
            Count c = window.computeIfAbsent(k, x -> new Count(f.firstRequest(), f.firstAt()));
            c.count += f.count();
            c.first = f.firstAt().isBefore(c.first) ? f.firstAt() : c.first;
            c.last = f.lastAt().isAfter(c.last) ? f.lastAt() : c.last;
        }
    }

    private static String clip(String s) {
        return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT - 1) + "…";
    }
}
