package org.clinloop.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * What the service's runtime role may do, granted by the migration role (the schema's owner) after
 * each migration, from nothing: no privilege survives that is not granted here.
 *
 * <ul>
 *   <li>An <em>append-only</em> table, one that a migration guards with an {@code …append_only}
 *       trigger function (the audit entries, tree heads and keys), gets SELECT and INSERT only, so
 *       the database refuses UPDATE, DELETE and TRUNCATE to the service twice: by privilege, and by
 *       the trigger, which only the owner could drop or disable.</li>
 *   <li>Every other table gets SELECT, INSERT, UPDATE and DELETE (never TRUNCATE, REFERENCES or
 *       TRIGGER); the migrations' history tables ({@code flyway_history_*}) nothing.</li>
 *   <li>Sequences: USAGE and SELECT.</li>
 * </ul>
 *
 * The runtime role must be an ordinary role: not a superuser, not the owner, not a member of the
 * owner role (each would void the guard). When one role is configured for both (no
 * {@code CLINLOOP_DB_MIGRATION_USER}), nothing is granted and only the triggers guard the audit log:
 * this is logged as a warning.
 */
final class RuntimeGrants {

    private static final Logger LOG = Logger.getLogger(RuntimeGrants.class.getName());
    /** Held while granting: two instances starting at once must not GRANT on the same rows concurrently. */
    private static final long LOCK = 0x636c696e_67726e74L;

    private RuntimeGrants() {
    }

    /** Grants as the owner behind {@code migration} to the role behind {@code runtime}; returns the append-only tables. */
    static Set<String> apply(DataSource migration, DataSource runtime) throws SQLException {
        String runtimeRole;
        try (Connection c = runtime.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT current_user")) {
            rs.next();
            runtimeRole = rs.getString(1);
        }
        try (Connection c = migration.getConnection()) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                String owner = one(st, "SELECT current_user");
                if (owner.equals(runtimeRole)) {
                    LOG.warning(() -> "The service runs as " + owner + ", the schema's owner: the audit tables are guarded"
                            + " by triggers only, which this role could drop. Set CLINLOOP_DB_MIGRATION_USER to the"
                            + " owner and CLINLOOP_DB_USER to a role of its own.");
                    c.rollback();
                    return Set.of();
                }
                requireOrdinary(c, runtimeRole, owner);
                st.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
                Set<String> appendOnly = appendOnlyTables(st);
                List<String> tables = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
                        + " ORDER BY tablename")) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
                String role = quoted(runtimeRole);
                st.execute("GRANT USAGE ON SCHEMA " + quoted(one(st, "SELECT current_schema()")) + " TO " + role);
                for (String table : tables) {
                    String t = quoted(table);
                    st.execute("REVOKE ALL ON " + t + " FROM " + role);
                    if (appendOnly.contains(table)) {
                        st.execute("GRANT SELECT, INSERT ON " + t + " TO " + role);
                    } else if (!table.startsWith("flyway_history_")) {
                        st.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON " + t + " TO " + role);
                    }
                }
                st.execute("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA " + quoted(one(st, "SELECT current_schema()"))
                        + " TO " + role);
                c.commit();
                LOG.info(() -> "Runtime role " + runtimeRole + ": SELECT, INSERT only on " + appendOnly + "; SELECT,"
                        + " INSERT, UPDATE, DELETE on the other " + (tables.size() - appendOnly.size()) + " tables but the"
                        + " migration histories; owner " + owner);
                return appendOnly;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /** Tables with a row trigger whose function is named {@code …append_only} (audit-log's migrations). */
    private static Set<String> appendOnlyTables(Statement st) throws SQLException {
        Set<String> tables = new TreeSet<>();
        try (ResultSet rs = st.executeQuery("SELECT DISTINCT c.relname FROM pg_trigger t"
                + " JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_proc p ON p.oid = t.tgfoid"
                + " WHERE NOT t.tgisinternal AND n.nspname = current_schema() AND p.proname LIKE '%append\\_only'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        if (tables.isEmpty()) {
            throw new IllegalStateException("Expected audit tables guarded by append-only triggers, found none: the"
                    + " audit migrations did not run or their triggers were dropped");
        }
        return tables;
    }

    private static void requireOrdinary(Connection c, String runtime, String owner) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT rolsuper, rolbypassrls, pg_has_role(rolname, ?, 'MEMBER')"
                + " FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, owner);
            ps.setString(2, runtime);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1) || rs.getBoolean(2) || rs.getBoolean(3)) {
                    throw new IllegalStateException("Expected the runtime role " + runtime + " to be an ordinary role,"
                            + " found " + (rs.getBoolean(1) ? "a superuser" : rs.getBoolean(2) ? "a role that bypasses"
                            + " row security" : "a member of the owner " + owner) + ": it could change the audit log");
                }
            }
        }
    }

    private static String one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String quoted(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
