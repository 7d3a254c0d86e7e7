package org.clinloop.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.clinloop.client.Clinic;
import org.clinloop.client.Credentials;
import org.clinloop.localdb.LocalDatabase;

/**
 * A second ClinLoop server on a local PostgreSQL of its own (the run's default database, freshly
 * initialised), for tests that stop, kill or restart either of them without touching the shared
 * integration-test server and database. Keycloak is the suite's.
 *
 * @param db     the local PostgreSQL, running
 * @param server the service on it, ready
 * @param clinic a client of that service (password grant on the test realm)
 */
record ServiceOnLocalDatabase(LocalDatabase db, SecondServer server, Clinic clinic) implements AutoCloseable {

    /**
     * Starts both.
     *
     * @param serverName the Liberty server's name, and the data directory's under {@code target}
     * @param portOffset the server's HTTP port, above the suite's
     */
    static ServiceOnLocalDatabase start(String serverName, int portOffset) throws Exception {
        Path home = Path.of("target", serverName + "-db");
        if (Files.exists(home)) {
            try (var files = Files.walk(home)) {
                for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
        LocalDatabase db = new LocalDatabase(new LocalDatabase.Settings(
                Path.of(Objects.requireNonNull(System.getProperty("clinloop.localdb.cache"), "clinloop.localdb.cache")),
                home, freePort(), "clinloop",
                new LocalDatabase.Role("clinloop_owner", "owner-" + UUID.randomUUID()),
                new LocalDatabase.Role("clinloop_app", "app-" + UUID.randomUUID())));
        db.start();
        LocalDatabase.Settings s = db.settings();
        SecondServer server = SecondServer.create(serverName,
                Integer.parseInt(System.getProperty("clinloop.it.http.port")) + portOffset,
                Map.of("clinloop.db.url", db.jdbcUrl(),
                        "clinloop.db.user", s.runtime().name(), "clinloop.db.password", s.runtime().password(),
                        "clinloop.db.migration.user", s.owner().name(),
                        "clinloop.db.migration.password", s.owner().password()));
        ItEnvironment.clinic(); // Keycloak is up
        server.start();
        return new ServiceOnLocalDatabase(db, server,
                Clinic.withPasswordGrant(server.url(), ItEnvironment.KEYCLOAK, Credentials.fromEnvironment()));
    }

    /** Stops the server, then the database. */
    @Override
    public void close() throws Exception {
        try {
            server.stop();
        } finally {
            db.stop();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
