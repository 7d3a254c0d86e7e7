package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.clinloop.client.Clinic;
import org.clinloop.localdb.LocalDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The zero-set-up default keeps what it acknowledged. The local database is started as {@code
 * ./clinloop run} starts it (the same {@link LocalDatabase} code, its own data folder and port, the
 * migration and runtime roles), and a second Liberty server ({@code clinloop-local}) runs the service
 * on it. Readings stream in from four threads; the service is killed with SIGKILL and restarted;
 * then the service and the whole PostgreSQL server (postmaster and backends) are killed together and
 * both restarted. Every reading answered 201 must be there, and the audit log must verify. The audit
 * tables refuse UPDATE, DELETE and TRUNCATE on this database as on production's: the runtime role by
 * privilege, the owner by trigger.
 */
class LocalDatabaseCrashIT {

    static final int THREADS = 4;

    static ServiceOnLocalDatabase service;
    static LocalDatabase db;
    static SecondServer server;
    static Clinic local;

    @BeforeAll
    static void localDefault() throws Exception {
        service = ServiceOnLocalDatabase.start("clinloop-local", 20);
        db = service.db();
        server = service.server();
        local = service.clinic();
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void everyAcknowledgedReadingSurvivesKillMinus9OfTheServiceAndOfTheDatabase() throws Exception {
        List<List<String>> groups = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String id = "local-" + UUID.randomUUID().toString().substring(0, 8);
            local.registerPatient(id, "Local", "Patient", "unknown", "1960-01-01", "dr-rivera");
            local.setRegimen(id, Clinic.RIVERA, 2);
            groups.add(List.of(id));
        }
        ReadingStream readings = new ReadingStream(server.api(), local::ehr);
        Random rng = new Random(20261207L);

        ReadingStream.Round round = readings.stream(groups);
        readings.awaitAcknowledged(8, java.time.Duration.ofMinutes(3), rng.nextInt(4000));
        server.kill();
        round.awaitDown();
        int afterFirst = readings.acknowledged.size();
        server.start();

        round = readings.stream(groups);
        readings.awaitAcknowledged(8, java.time.Duration.ofMinutes(3), rng.nextInt(4000));
        ProcessHandle postmaster = ProcessHandle.of(db.pid().orElseThrow()).orElseThrow();
        server.kill();
        postmaster.descendants().forEach(ProcessHandle::destroyForcibly);
        postmaster.destroyForcibly(); // SIGKILL: no checkpoint, no shutdown; recovery from the WAL on start
        postmaster.onExit().join();
        round.awaitDown();
        assertThat(db.pid()).as("PostgreSQL is gone").isEmpty();
        db.start();
        server.start();

        List<String> missing = new ArrayList<>();
        for (String id : readings.acknowledged) {
            if (server.api().get("/fhir/Observation/" + id, local.ehr()).status() != 200) {
                missing.add(id);
            }
        }
        JsonNode verify = expect(server.api().get("/api/audit/verify", local.compliance()), 200).json();
        System.out.printf("local database crash: readings sent %d, acknowledged %d (%d before the service's kill, %d"
                        + " before the service's and PostgreSQL's); acknowledged but missing %d; audit intact %s (%s entries)%n",
                readings.sent.get(), readings.acknowledged.size(), afterFirst, readings.acknowledged.size() - afterFirst,
                missing.size(), verify.get("intact").asBoolean(), verify.path("entriesChecked").asText());

        assertThat(afterFirst).as("readings acknowledged before the first kill").isPositive();
        assertThat(readings.acknowledged.size()).as("readings acknowledged before the second kill").isGreaterThan(afterFirst);
        assertThat(missing).as("acknowledged readings missing after the kills").isEmpty();
        assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
    }

    @Test
    void theAuditTablesAreAppendOnlyForTheServiceAndItsOwner() throws Exception {
        LocalDatabase.Settings s = db.settings();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), s.runtime().name(), s.runtime().password());
             Statement st = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                assertThat(one(st, "SHOW " + setting)).as(setting).isEqualTo("on");
            }
            assertThat(Long.parseLong(one(st, "SELECT count(*) FROM audit_entry"))).as("entries the service wrote").isPositive();
            DatabaseRolesIT.assertRuntimeRoleCannotChangeTheAuditLog(st);
        }
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), s.owner().name(), s.owner().password());
             Statement st = c.createStatement()) {
            // Row triggers fire on rows: the entries are there; tree heads and keys may not be yet.
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_entry SET actor_id = actor_id"))
                    .hasMessageContaining("append-only");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_entry")).hasMessageContaining("append-only");
            for (String table : DatabaseRolesIT.AUDIT_TABLES) {
                assertThatThrownBy(() -> st.executeUpdate("TRUNCATE " + table)).as(table).hasMessageContaining("append-only");
            }
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

}
