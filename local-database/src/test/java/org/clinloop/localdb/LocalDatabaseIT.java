package org.clinloop.localdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The local database as {@code ./clinloop run} starts it, on real PostgreSQL servers: durable
 * settings, password sign-in for two distinct roles, restarts on the same data, and every commit
 * kept across a kill -9 of the whole server (postmaster and backends).
 */
class LocalDatabaseIT {

    static final Path CACHE = Path.of(System.getProperty("clinloop.localdb.cache",
            System.getProperty("user.home") + "/.cache/clinloop"));

    LocalDatabase db;

    @BeforeEach
    void fresh() throws IOException {
        Path home = Path.of("target", "local-db-it", UUID.randomUUID().toString().substring(0, 8));
        db = new LocalDatabase(new LocalDatabase.Settings(CACHE, home, freePort(), "clinloop",
                new LocalDatabase.Role("clinloop_owner", "owner-" + UUID.randomUUID()),
                new LocalDatabase.Role("clinloop_app", "app-" + UUID.randomUUID())));
        db.start();
    }

    @AfterEach
    void stop() throws IOException {
        db.stop();
        PostgresBinaries.deleteTree(db.settings().home());
    }

    @Test
    void runsDurablyWithPasswordsAndTwoRolesOfWhichOnlyTheOwnerMayCreate() throws Exception {
        try (Connection c = connect(db.settings().runtime()); Statement st = c.createStatement()) {
            for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes", "data_checksums"}) {
                assertThat(one(st, "SHOW " + setting)).as(setting).isEqualTo("on");
            }
            assertThat(one(st, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")).isEqualTo("false");
            assertThat(one(st, "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = current_database()"))
                    .isEqualTo("clinloop_owner");
            assertThatThrownBy(() -> st.execute("CREATE TABLE intruder (x int)")).hasMessageContaining("permission denied");
        }
        try (Connection c = connect(db.settings().owner()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE owned (x int)");
        }
        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "clinloop_app", "not-the-password"))
                .hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "postgres", ""))
                .isInstanceOf(SQLException.class);
    }

    @Test
    void startsAgainOnItsDataAndKeepsEveryCommitThroughKillMinus9() throws Exception {
        try (Connection c = connect(db.settings().owner()); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE reading (id text PRIMARY KEY)");
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        for (int round = 0; round < 3; round++) {
            AtomicBoolean down = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                try (Connection c = connect(db.settings().owner());
                     var ps = c.prepareStatement("INSERT INTO reading VALUES (?)")) {
                    while (!down.get()) {
                        String id = UUID.randomUUID().toString();
                        ps.setString(1, id);
                        ps.executeUpdate(); // autocommit: answered once committed
                        acknowledged.add(id);
                    }
                } catch (SQLException e) {
                    // the server went away mid-statement: that row was never acknowledged
                }
            });
            writer.start();
            Thread.sleep(1500);
            long pid = db.pid().orElseThrow();
            ProcessHandle postmaster = ProcessHandle.of(pid).orElseThrow();
            postmaster.descendants().forEach(ProcessHandle::destroyForcibly); // SIGKILL: no shutdown, no flush
            postmaster.destroyForcibly();
            postmaster.onExit().join();
            down.set(true);
            writer.join(30_000);
            assertThat(db.pid()).as("no server after the kill").isEmpty();
            db.start(); // crash recovery from the write-ahead log
        }
        Set<String> stored = new HashSet<>();
        try (Connection c = connect(db.settings().owner());
             Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT id FROM reading")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        System.out.printf("local database: %d commits acknowledged over 3 kills, %d rows stored%n", acknowledged.size(),
                stored.size());
        assertThat(acknowledged).hasSizeGreaterThan(100);
        Set<String> lost = new HashSet<>(acknowledged);
        lost.removeAll(stored);
        assertThat(lost).as("acknowledged commits missing after the kills").isEmpty();
        assertThat(Files.readString(db.settings().home().resolve("server.log")))
                .contains("database system was interrupted");
    }

    private Connection connect(LocalDatabase.Role role) throws SQLException {
        return DriverManager.getConnection(db.jdbcUrl(), role.name(), role.password());
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
