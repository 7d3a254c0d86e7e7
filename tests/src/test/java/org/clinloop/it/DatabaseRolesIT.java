package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The append-only audit log is protected from the service's own database user (issue 14, hole 7):
 * on the suite's PostgreSQL the service runs as a runtime role that may only SELECT and INSERT on
 * the audit tables, while the migration role owns the schema and its triggers. Signed in as the
 * runtime role, UPDATE, DELETE and TRUNCATE of audit rows are refused by privilege, and the triggers
 * can be neither dropped nor disabled; the migration history is out of its reach too. (Without
 * {@code ./clinloop test}, the suite runs as one role and this test is skipped.)
 */
class DatabaseRolesIT {

    static final List<String> AUDIT_TABLES = List.of("audit_entry", "audit_tree_head", "audit_key");

    static String url;
    static String runtime;
    static String migration;

    @BeforeAll
    static void roles() {
        ItEnvironment.clinic(); // the service is ready: migrated and granted
        url = System.getProperty("clinloop.db.url");
        runtime = System.getProperty("clinloop.db.user");
        migration = System.getProperty("clinloop.db.migration.user");
    }

    @Test
    void theRuntimeRoleCanNeitherChangeTheAuditLogNorItsGuard() throws Exception {
        assumeFalse(runtime.equals(migration), "the suite runs as one role (" + runtime + ")");
        try (Connection c = DriverManager.getConnection(url, runtime, System.getProperty("clinloop.db.password"));
             Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT current_user")).isEqualTo(runtime);
            assertThat(one(st, "SELECT rolsuper::text FROM pg_roles WHERE rolname = current_user")).isEqualTo("false");
            assertThat(Long.parseLong(one(st, "SELECT count(*) FROM audit_entry"))).as("entries the service wrote").isPositive();
            assertRuntimeRoleCannotChangeTheAuditLog(st);
            assertThatThrownBy(() -> st.executeQuery("SELECT count(*) FROM flyway_history_audit"))
                    .hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.execute("CREATE TABLE audit_shadow (x int)")).hasMessageContaining("permission denied");
            // What the service does need it has: a row of an ordinary table can be changed.
            assertThat(st.executeUpdate("UPDATE decision_queue SET patient_id = patient_id WHERE false")).isZero();
        }
    }

    /** UPDATE, DELETE and TRUNCATE refused on every audit table; its triggers and their function out of reach. */
    static void assertRuntimeRoleCannotChangeTheAuditLog(Statement st) {
        for (String table : AUDIT_TABLES) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE " + table + " SET " + column(table) + " = " + column(table)))
                    .as("UPDATE " + table).hasMessageContaining("permission denied for table " + table);
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM " + table)).as("DELETE " + table)
                    .hasMessageContaining("permission denied for table " + table);
            assertThatThrownBy(() -> st.executeUpdate("TRUNCATE " + table)).as("TRUNCATE " + table)
                    .hasMessageContaining("permission denied for table " + table);
            assertThatThrownBy(() -> st.execute("ALTER TABLE " + table + " DISABLE TRIGGER USER"))
                    .as("disable the triggers of " + table).hasMessageContaining("must be owner of table " + table);
            assertThatThrownBy(() -> st.execute("DROP TABLE " + table)).as("DROP " + table)
                    .hasMessageContaining("must be owner of table " + table);
        }
        assertThatThrownBy(() -> st.execute("DROP TRIGGER audit_entry_no_update ON audit_entry"))
                .hasMessageMatching("(?s).*must be owner of (table|relation) audit_entry.*");
        assertThatThrownBy(() -> st.execute("DROP FUNCTION audit_entry_is_append_only() CASCADE"))
                .hasMessageContaining("must be owner of function audit_entry_is_append_only");
        assertThatThrownBy(() -> st.execute("CREATE OR REPLACE FUNCTION audit_entry_is_append_only() RETURNS trigger"
                + " AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql"))
                .hasMessageMatching("(?s).*(must be owner of function|permission denied for schema).*");
    }

    /** A column of each audit table, for an UPDATE that would change nothing if it were allowed. */
    static String column(String table) {
        return switch (table) {
            case "audit_entry" -> "actor_id";
            case "audit_tree_head" -> "tree_size";
            case "audit_key" -> "algorithm";
            default -> throw new IllegalArgumentException(table);
        };
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
