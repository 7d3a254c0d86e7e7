package org.clinloop.service;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.clinloop.audit.outage.DatabaseUnavailable;

/**
 * Readiness's look at the database (issue 17): {@code SELECT 1} through the service's pool, answered
 * within {@link #TIMEOUT} or the database counts as unavailable. The query runs on a managed thread
 * so that a probe never waits longer than that, however long the pool or the network would make it
 * wait; while one query is still out, later probes wait on the same one rather than start more.
 */
@ApplicationScoped
public class DatabaseCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    @Resource(lookup = "jdbc/clinloop")
    DataSource dataSource;
    @Resource
    ManagedExecutorService executor;

    private Future<Void> inFlight;

    /** Empty when the database answered in time; otherwise why it counts as unavailable. */
    public Optional<String> problem() {
        Future<Void> query;
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = executor.submit(this::selectOne);
            }
            query = inFlight;
        }
        try {
            query.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("no answer to SELECT 1 within " + TIMEOUT.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Optional.of(DatabaseUnavailable.describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("the check was interrupted");
        }
    }

    private Void selectOne() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.setQueryTimeout((int) TIMEOUT.toSeconds());
            st.execute("SELECT 1");
        }
        return null;
    }
}
