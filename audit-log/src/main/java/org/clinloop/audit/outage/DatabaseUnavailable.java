package org.clinloop.audit.outage;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a failure means "the database cannot be reached now" (transient: answer 503 with
 * {@code Retry-After}, keep the loops going) rather than a fault in ClinLoop or in the data (a
 * 500 that names an incident, or a refusal).
 *
 * <p>What counts, anywhere in the chain of causes, next exceptions and suppressed exceptions: an
 * {@link SQLException} of SQLState class 08 (connection exception: refused, broken, closed), 57P01 /
 * 57P02 / 57P03 (PostgreSQL shutting down, crashed, starting up or not accepting connections), 53300
 * (too many connections); JDBC's connection exception types (Liberty's pool wait timeout is an {@link
 * SQLTransientConnectionException}); a refused or unreachable socket; and Liberty's stale-connection
 * and connection-wait types, matched by name because the service does not compile against
 * Liberty's internals.
 */
public final class DatabaseUnavailable {

    /** Seconds a client is asked to wait ({@code Retry-After}) before sending again. */
    public static final int RETRY_AFTER_SECONDS = 5;

    /**
     * What a client is told (no host, port or driver message: those are for the log): the request
     * was not acknowledged and may be sent again.
     */
    public static final String ANSWER = "Expected the database to answer, found it unavailable for now; the request was"
            + " not acknowledged: send it again after " + RETRY_AFTER_SECONDS + " s.";

    private static final Set<String> STATES = Set.of("57P01", "57P02", "57P03", "53300");
    private static final Set<String> TYPES = Set.of("StaleConnectionException", "ConnectionWaitTimeoutException",
            "JDBCConnectionException");

    private DatabaseUnavailable() {
    }

    /** True when {@code thrown} (or anything behind it) says the database cannot be reached. */
    public static boolean in(Throwable thrown) {
        return cause(thrown).isPresent();
    }

    /** The exception that says so, to name in a message. */
    public static Optional<Throwable> cause(Throwable thrown) {
        Deque<Throwable> todo = new ArrayDeque<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        if (thrown != null) {
            todo.add(thrown);
        }
        while (!todo.isEmpty() && seen.size() < 64) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            if (unavailable(t)) {
                return Optional.of(t);
            }
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            if (t instanceof SQLException sql && sql.getNextException() != null) {
                todo.add(sql.getNextException());
            }
            Collections.addAll(todo, t.getSuppressed());
        }
        return Optional.empty();
    }

    /** A short description for a log line or an answer: the type and message of what said so. */
    public static String describe(Throwable thrown) {
        return cause(thrown).map(t -> {
            String state = t instanceof SQLException sql && sql.getSQLState() != null ? " [" + sql.getSQLState() + "]" : "";
            return t.getClass().getSimpleName() + state + ": " + t.getMessage();
        }).orElse(String.valueOf(thrown));
    }

    private static boolean unavailable(Throwable t) {
        if (t instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith("08") || STATES.contains(state))) {
                return true;
            }
            if (sql instanceof SQLTransientConnectionException || sql instanceof SQLNonTransientConnectionException) {
                return true;
            }
        }
        if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException) {
            return true;
        }
        return TYPES.contains(t.getClass().getSimpleName());
    }
}
