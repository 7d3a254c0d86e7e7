package org.clinloop.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.clinloop.client.ClinLoopClient;

/**
 * A second Liberty server process beside the suite's: the same WAR and the service's own
 * configuration (not the test server's local JMX connector and MBean-triggered updates, which
 * Arquillian uses to find and drive the first server), its own name and HTTP port, and bootstrap
 * properties as given over the suite's (e.g. another database). Tests start it, kill it with
 * SIGKILL, start it again and stop it.
 */
final class SecondServer {

    private final String name;
    private final int port;
    private final Path wlp;
    private final ClinLoopClient api;

    private SecondServer(String name, int port, Path wlp) {
        this.name = name;
        this.port = port;
        this.wlp = wlp;
        this.api = new ClinLoopClient(url());
    }

    /** Lays out server {@code name} on {@code port}, with {@code overrides} over the suite server's bootstrap properties. */
    static SecondServer create(String name, int port, Map<String, String> overrides) throws IOException {
        Path wlp = Path.of(Objects.requireNonNull(System.getProperty("wlp.home"), "wlp.home"));
        Path source = wlp.resolve("usr/servers").resolve(System.getProperty("clinloop.it.server"));
        Path target = wlp.resolve("usr/servers").resolve(name);
        deleteTree(target);
        Files.createDirectories(target);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = source.relativize(p);
                String top = rel.getNameCount() == 0 ? "" : rel.getName(0).toString();
                if (List.of("logs", "workarea", "tranlog", "temp", "apps", "dropins").contains(top)) {
                    continue; // the first server's runtime state, not its configuration
                }
                Path dest = target.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else if (!rel.toString().equals("bootstrap.properties")) {
                    Files.copy(p, dest, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        List<String> bootstrap = new ArrayList<>();
        for (String line : Files.readAllLines(source.resolve("bootstrap.properties"))) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')).trim() : "";
            if (!key.equals("clinloop.http.port") && !key.equals("clinloop.https.port") && !overrides.containsKey(key)) {
                bootstrap.add(line);
            }
        }
        Files.writeString(target.resolve("server.xml"), "<server description=\"ClinLoop, second server " + name + "\">\n"
                + "    <include location=\"${server.config.dir}/service/server.xml\"/>\n</server>\n");
        bootstrap.add("clinloop.http.port=" + port);
        bootstrap.add("clinloop.https.port=" + (port + 363));
        overrides.forEach((k, v) -> bootstrap.add(k + "=" + v));
        Files.write(target.resolve("bootstrap.properties"), bootstrap);
        return new SecondServer(name, port, wlp);
    }

    String url() {
        return "http://localhost:" + port;
    }

    ClinLoopClient api() {
        return api;
    }

    /** Starts the server and waits until it is ready (4 minutes at most). */
    void start() throws Exception {
        launch();
        awaitReady(Duration.ofMinutes(4));
    }

    /** Starts the server process and returns once Liberty says it started, ready or not. */
    void launch() throws Exception {
        run("start");
    }

    /** The server process's id. */
    long pid() throws IOException {
        return Long.parseLong(Files.readString(wlp.resolve("usr/servers/.pid/" + name + ".pid")).trim());
    }

    /** The server's {@code messages.log}. */
    Path messages() {
        return wlp.resolve("usr/servers").resolve(name).resolve("logs/messages.log");
    }

    /** Waits until {@code /health/ready} answers 200. */
    void awaitReady(Duration limit) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Instant until = Instant.now().plus(limit);
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url() + "/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Expected " + name + " ready on port " + port + " within " + limit);
    }

    /** SIGKILL: no shutdown hooks, no flush; returns once the process is gone. */
    void kill() throws IOException {
        ProcessHandle.of(pid()).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
    }

    void stop() throws Exception {
        run("stop");
    }

    private void run(String action) throws Exception {
        Process p = new ProcessBuilder(wlp.resolve("bin/server").toString(), action, name).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if ("start".equals(action) && code != 0) {
            throw new IllegalStateException("server start " + name + " exited " + code + ": " + out);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> all = new ArrayList<>(files.toList());
            Collections.reverse(all);
            for (Path p : all) {
                Files.delete(p);
            }
        }
    }
}
