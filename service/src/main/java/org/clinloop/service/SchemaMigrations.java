package org.clinloop.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies each module's versioned migrations, each module with its own history table so that
 * modules evolve their schemas independently, as the migration role (which owns the schema). The
 * database is PostgreSQL, always: scripts live in {@code db/migration/<module>} and, from the days of
 * a second dialect, in {@code db/migration/<module>-postgresql} (the audit log's append-only triggers).
 */
final class SchemaMigrations {

    /** In dependency order: a module's tables may reference only those migrated before it. */
    static final List<String> MODULES = List.of("audit", "recommendation", "ingest", "approval", "fairness", "cds");
    private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());

    private SchemaMigrations() {
    }

    static List<String> migrate(DataSource dataSource, ClassLoader loader) throws SQLException {
        String vendor;
        try (Connection c = dataSource.getConnection()) {
            vendor = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT).replace(" ", "");
        }
        if (!"postgresql".equals(vendor)) {
            throw new IllegalStateException("Expected a PostgreSQL database, found " + vendor);
        }
        List<String> applied = new ArrayList<>();
        for (String module : MODULES) {
            List<String> locations = new ArrayList<>();
            for (String dir : List.of("db/migration/" + module, "db/migration/" + module + "-" + vendor)) {
                // Liberty's class loader finds a folder only through a file in it (Flyway's marker).
                if (loader.getResource(dir + "/flyway.location") != null) {
                    locations.add("classpath:" + dir);
                }
            }
            // Several modules share one schema, each with its own history table: a module
            // meeting a schema that others already populated starts from an empty baseline 0.
            MigrateResult result = Flyway.configure(loader)
                    .dataSource(dataSource)
                    .table("flyway_history_" + module)
                    .locations(locations.toArray(String[]::new))
                    .callbackLocations(new String[0])
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .load()
                    .migrate();
            LOG.info(() -> "Schema " + module + " on " + vendor + ": " + result.migrationsExecuted
                    + " migration(s) applied, now at " + result.targetSchemaVersion);
            applied.add(module + "@" + (result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion));
        }
        return applied;
    }
}
