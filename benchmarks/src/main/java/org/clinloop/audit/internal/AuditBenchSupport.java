package org.clinloop.audit.internal;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * Runs the audit log's real append and verification code outside the server, on a PostgreSQL
 * database of its own (created fresh on 127.0.0.1:5432 as user postgres, as the tests do).
 * Lives in the log's internal package because it wires the implementation by hand.
 */
public final class AuditBenchSupport {

    static final String HOST = System.getProperty("clinloop.bench.pg", "jdbc:postgresql://127.0.0.1:5432/");
    static final String USER = System.getProperty("clinloop.bench.pg.user", "postgres");

    private AuditBenchSupport() {
    }

    public static String url(String db) {
        return HOST + db;
    }

    public static Connection connect(String db) throws SQLException {
        return DriverManager.getConnection(url(db), USER, "");
    }

    /** Drops and creates {@code db}, then applies the audit log's migrations (with PostgreSQL's append-only triggers). */
    public static void freshDatabase(String db) throws SQLException {
        try (Connection c = connect("postgres"); Statement st = c.createStatement()) {
            st.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            st.execute("CREATE DATABASE " + db);
        }
        Flyway.configure().dataSource(url(db), USER, "").table("flyway_history_audit")
                .locations("classpath:db/migration/audit", "classpath:db/migration/audit-postgresql").load().migrate();
    }

    public static EntityManagerFactory entityManagerFactory(String db) {
        return Persistence.createEntityManagerFactory("clinloop-bench", Map.of(
                "jakarta.persistence.jdbc.url", url(db), "jakarta.persistence.jdbc.user", USER,
                "jakarta.persistence.jdbc.password", "", "jakarta.persistence.jdbc.driver", "org.postgresql.Driver",
                "hibernate.dialect", "org.hibernate.dialect.PostgreSQLDialect"));
    }

    /** The production {@link JpaAuditLog}, its entity manager and clock set by hand (no CDI, no JTA). */
    public static JpaAuditLog log(jakarta.persistence.EntityManager em) {
        JpaAuditLog log = new JpaAuditLog();
        log.em = em;
        log.clock = Clock.systemUTC();
        return log;
    }
}
