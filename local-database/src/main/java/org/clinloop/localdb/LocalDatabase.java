package org.clinloop.localdb;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The zero-set-up database: a real PostgreSQL server of its own, run from binaries unpacked from
 * Maven Central ({@link PostgresBinaries}), as a process separate from the service. A kill -9 of the
 * service therefore cannot lose or corrupt what the database acknowledged, and because the server
 * runs with {@code fsync}, {@code synchronous_commit} and {@code full_page_writes} on (and data
 * checksums), neither can a kill -9 of the database itself: it recovers from its write-ahead log on
 * the next start.
 *
 * <p>The server listens on 127.0.0.1 only, at a port of its own (no Unix socket, so it cannot clash
 * with a system PostgreSQL), and every role signs in with a password (SCRAM). The superuser's
 * password is generated at {@code initdb} and kept beside the data, readable by its owner only.
 * {@link #start} makes sure of the two roles the service uses: the <em>migration role</em>, which owns
 * the database and so the schema, and the <em>runtime role</em>, which may only connect; the service
 * grants the runtime role its table privileges after each migration.
 *
 * <p>PostgreSQL refuses to run as root; as root (CI) its programs run under {@code unshare -U}, in
 * a user namespace where they are not root, as zonky does.
 *
 * <p>Layout of {@code home}: {@code data/} (the cluster), {@code server.log}, {@code superuser.password}.
 */
public final class LocalDatabase {

    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final String SUPERUSER = "postgres";

    /** A login role and its password. */
    public record Role(String name, String password) {
        public Role {
            Objects.requireNonNull(name, "A role name is required.");
            if (!ROLE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Expected a role name of lower-case letters, digits and _, found " + name);
            }
            if (password == null || password.isEmpty() || password.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("Expected a non-empty password for role " + name);
            }
        }

        @Override
        public String toString() {
            return name; // never the password
        }
    }

    /**
     * Where and how the database runs.
     *
     * @param cache    folder for the unpacked binaries (shared by every data folder)
     * @param home     folder for this database's data, log and superuser password
     * @param port     loopback TCP port
     * @param database the database the service uses, owned by {@code owner}
     * @param owner    the migration role: owns the database and its schema
     * @param runtime  the service's role at run time
     */
    public record Settings(Path cache, Path home, int port, String database, Role owner, Role runtime) {
        public Settings {
            Objects.requireNonNull(cache, "A cache folder is required.");
            Objects.requireNonNull(home, "A home folder is required.");
            Objects.requireNonNull(owner, "A migration role is required.");
            Objects.requireNonNull(runtime, "A runtime role is required.");
            cache = cache.toAbsolutePath();
            home = home.toAbsolutePath();
            if (port < 1024 || port > 65535) {
                throw new IllegalArgumentException("Expected a port between 1024 and 65535, found " + port);
            }
            if (database == null || !ROLE_NAME.matcher(database).matches()) {
                throw new IllegalArgumentException("Expected a database name of lower-case letters, digits and _, found "
                        + database);
            }
            if (owner.name().equals(runtime.name()) || SUPERUSER.equals(owner.name()) || SUPERUSER.equals(runtime.name())) {
                throw new IllegalArgumentException("Expected two distinct roles other than " + SUPERUSER + ", found "
                        + owner.name() + " and " + runtime.name());
            }
        }
    }

    private final Settings settings;
    private final Path data;

    public LocalDatabase(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "Settings are required.");
        this.data = settings.home().resolve("data");
    }

    public Settings settings() {
        return settings;
    }

    /** The service's JDBC URL. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + settings.port() + "/" + settings.database();
    }

    /**
     * Creates the cluster on first use, starts the server unless it already runs on the set port,
     * and makes sure of the roles and the database. Idempotent; a server left by a crash (kill -9,
     * power loss) recovers from its write-ahead log here.
     */
    public void start() throws IOException {
        Path binaries = PostgresBinaries.unpack(settings.cache());
        if (!Files.exists(data.resolve("PG_VERSION"))) {
            initdb(binaries);
        }
        OptionalLong pid = pid();
        if (pid.isPresent() && runningPort() != settings.port()) {
            stop();
            pid = OptionalLong.empty();
        }
        if (pid.isEmpty()) {
            String options = "-p " + settings.port() + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                    + " -c fsync=on -c synchronous_commit=on -c full_page_writes=on";
            run(binaries, "pg_ctl", "-D", data.toString(), "-l", settings.home().resolve("server.log").toString(),
                    "-w", "-t", "120", "-o", options, "start");
        }
        try {
            ensureRolesAndDatabase();
        } catch (SQLException e) {
            throw new IOException("PostgreSQL in " + data + " runs but could not be prepared: " + e.getMessage(), e);
        }
    }

    /** Stops the server (fast shutdown: sessions are ended, committed work is kept), if it runs. */
    public void stop() throws IOException {
        if (pid().isEmpty()) {
            return;
        }
        run(PostgresBinaries.unpack(settings.cache()), "pg_ctl", "-D", data.toString(), "-m", "fast", "-w", "-t", "60", "stop");
    }

    /** The server's process id, when one runs on this data folder. */
    public OptionalLong pid() throws IOException {
        Path file = data.resolve("postmaster.pid");
        if (!Files.exists(file)) {
            return OptionalLong.empty();
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty()) {
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(lines.get(0).trim());
        // A file left by a crash may name a process id since reused by another program.
        boolean postgres = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> h.info().command().map(c -> c.endsWith("/postgres")).orElse(true)).orElse(false);
        return postgres ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    private int runningPort() throws IOException {
        List<String> lines = Files.readAllLines(data.resolve("postmaster.pid"));
        return lines.size() > 3 ? Integer.parseInt(lines.get(3).trim()) : -1;
    }

    private Path superuserPasswordFile() {
        return settings.home().resolve("superuser.password");
    }

    private void initdb(Path binaries) throws IOException {
        Files.createDirectories(settings.home());
        Path password = superuserPasswordFile();
        Files.deleteIfExists(password);
        Files.createFile(password, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(password, generatedPassword() + "\n");
        // initdb into a fresh folder that is renamed into place: a data folder is either whole or absent.
        Path init = settings.home().resolve("data.init");
        PostgresBinaries.deleteTree(init);
        run(binaries, "initdb", "-D", init.toString(), "-U", SUPERUSER, "--pwfile=" + password, "-A", "scram-sha-256",
                "-E", "UTF8", "--no-locale", "--data-checksums");
        Files.move(init, data, StandardCopyOption.ATOMIC_MOVE);
    }

    private void ensureRolesAndDatabase() throws IOException, SQLException {
        String superuser = Files.readString(superuserPasswordFile()).trim();
        String admin = "jdbc:postgresql://127.0.0.1:" + settings.port() + "/postgres";
        try (Connection c = DriverManager.getConnection(admin, SUPERUSER, superuser); Statement st = c.createStatement()) {
            for (Role role : List.of(settings.owner(), settings.runtime())) {
                if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", role.name())) {
                    st.execute("CREATE ROLE " + role.name());
                }
                st.execute("ALTER ROLE " + role.name() + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION"
                        + " NOBYPASSRLS PASSWORD " + literal(role.password()));
            }
            String db = settings.database();
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", db)) {
                st.execute("CREATE DATABASE " + db + " OWNER " + settings.owner().name());
            }
            st.execute("ALTER DATABASE " + db + " OWNER TO " + settings.owner().name());
            st.execute("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
            st.execute("GRANT CONNECT ON DATABASE " + db + " TO " + settings.runtime().name());
        }
    }

    private static boolean exists(Connection c, String sql, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    private static String generatedPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    /** Runs one of the PostgreSQL programs to its end; its output goes to {@code home/tools.log}. */
    private void run(Path binaries, String program, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // as root: PostgreSQL refuses to run as root
        }
        command.add(binaries.resolve("bin").resolve(program).toString());
        command.addAll(List.of(args));
        Files.createDirectories(settings.home());
        Path log = settings.home().resolve("tools.log");
        Files.writeString(log, String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        p.getOutputStream().close();
        int code;
        try {
            code = p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(program + " was interrupted", e);
        }
        if (code != 0) {
            throw new IOException(program + " " + args[args.length - 1] + " failed (exit " + code + "): "
                    + Files.readString(log).strip() + tail(settings.home().resolve("server.log")));
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return "\nserver.log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    }
}
