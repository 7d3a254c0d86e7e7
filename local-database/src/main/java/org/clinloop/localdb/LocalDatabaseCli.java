package org.clinloop.localdb;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code start}, {@code stop} or {@code status} of the local database, for {@code ./clinloop run}.
 * Settings come from the environment, so that no password appears on a command line:
 * {@code CLINLOOP_DB_HOME} (data, log, superuser password), {@code CLINLOOP_DB_BINARIES} (cache of the
 * unpacked binaries), {@code CLINLOOP_DB_PORT}, {@code CLINLOOP_DB_NAME}, the migration role
 * {@code CLINLOOP_DB_MIGRATION_USER} / {@code CLINLOOP_DB_MIGRATION_PASSWORD} and the runtime role
 * {@code CLINLOOP_DB_USER} / {@code CLINLOOP_DB_PASSWORD}. Prints one line saying where the database is.
 */
public final class LocalDatabaseCli {

    private LocalDatabaseCli() {
    }

    public static void main(String[] args) throws IOException {
        String action = args.length == 1 ? args[0] : "";
        Map<String, String> env = System.getenv();
        LocalDatabase db = new LocalDatabase(new LocalDatabase.Settings(Path.of(required(env, "CLINLOOP_DB_BINARIES")),
                Path.of(required(env, "CLINLOOP_DB_HOME")), Integer.parseInt(required(env, "CLINLOOP_DB_PORT")),
                env.getOrDefault("CLINLOOP_DB_NAME", "clinloop"),
                new LocalDatabase.Role(required(env, "CLINLOOP_DB_MIGRATION_USER"), required(env, "CLINLOOP_DB_MIGRATION_PASSWORD")),
                new LocalDatabase.Role(required(env, "CLINLOOP_DB_USER"), required(env, "CLINLOOP_DB_PASSWORD"))));
        switch (action) {
            case "start" -> {
                db.start();
                System.out.println("PostgreSQL ready at " + db.jdbcUrl() + " (pid " + db.pid().orElse(-1) + ", data in "
                        + db.settings().home().resolve("data") + ")");
            }
            case "stop" -> {
                db.stop();
                System.out.println("PostgreSQL stopped (data kept in " + db.settings().home().resolve("data") + ")");
            }
            case "status" -> System.out.println(db.pid().isPresent() ? "PostgreSQL runs at " + db.jdbcUrl() + " (pid "
                    + db.pid().getAsLong() + ")" : "PostgreSQL is not running");
            default -> {
                System.err.println("Expected one of start, stop, status; found " + String.join(" ", args));
                System.exit(2);
            }
        }
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Expected the environment variable " + name + ", found none");
        }
        return value;
    }
}
