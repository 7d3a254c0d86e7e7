package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a service instance while readings stream in and its outbox holds undecided ones.
 * A second Liberty server ({@code clinloop-crash}, the same WAR and configuration, its own port,
 * the integration tests' PostgreSQL and Keycloak) is started, loaded from four threads, killed
 * with SIGKILL at a seeded random moment, restarted, and killed again. Afterwards every reading
 * that was answered 201 is stored; once a reading after the quiet period flushes each patient,
 * every one of them is covered by exactly one decision; no patient has more than one open task;
 * and the audit log verifies. The counts are printed.
 */
class CrashRecoveryIT {

    static final int THREADS = 4;
    static final int PATIENTS_PER_THREAD = 2;
    static final int KILLS = 2;
    static final String SERVER = "clinloop-crash";

    static Clinic clinic;
    static Path wlp;
    static int port;
    static ClinLoopClient crashApi;

    @BeforeAll
    static void secondServer() throws IOException {
        clinic = ItEnvironment.clinic();
        wlp = Path.of(Objects.requireNonNull(System.getProperty("wlp.home"), "wlp.home"));
        port = Integer.parseInt(System.getProperty("clinloop.it.http.port")) + 10;
        Path source = wlp.resolve("usr/servers").resolve(System.getProperty("clinloop.it.server"));
        Path target = wlp.resolve("usr/servers").resolve(SERVER);
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
            if (!line.startsWith("clinloop.http.port") && !line.startsWith("clinloop.https.port")) {
                bootstrap.add(line);
            }
        }
        // The service's own configuration only: not the test server's local JMX connector and
        // MBean-triggered updates, which Arquillian uses to find and drive the first server.
        Files.writeString(target.resolve("server.xml"), "<server description=\"ClinLoop crash-recovery test\">\n"
                + "    <include location=\"${server.config.dir}/service/server.xml\"/>\n</server>\n");
        bootstrap.add("clinloop.http.port=" + port);
        bootstrap.add("clinloop.https.port=" + (port + 363));
        Files.write(target.resolve("bootstrap.properties"), bootstrap);
        crashApi = new ClinLoopClient("http://localhost:" + port);
    }

    @AfterAll
    static void stopSecondServer() throws Exception {
        run("stop");
    }

    @Test
    void everyAcknowledgedReadingSurvivesKillMinus9AndIsDecidedExactlyOnce() throws Exception {
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < THREADS * PATIENTS_PER_THREAD; i++) {
            patients.add(ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null));
        }
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        Random rng = new Random(20261207L);
        // Readings a minute apart in measurement time: most wait out a proposal's quiet period in
        // the outbox, every fifteenth is decided at once with those waiting, so a kill meets both.
        Instant start = Instant.now().minus(Duration.ofHours(48)).truncatedTo(ChronoUnit.MINUTES);
        AtomicInteger minute = new AtomicInteger();
        for (int kill = 0; kill < KILLS; kill++) {
            start();
            AtomicBoolean down = new AtomicBoolean();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<String> mine = patients.subList(t * PATIENTS_PER_THREAD, (t + 1) * PATIENTS_PER_THREAD);
                Thread thread = new Thread(() -> stream(mine, start, minute, sent, acknowledged, down));
                thread.start();
                threads.add(thread);
            }
            Thread.sleep(3000 + rng.nextInt(5000));
            long pid = Long.parseLong(Files.readString(wlp.resolve("usr/servers/.pid/" + SERVER + ".pid")).trim());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
            ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
            down.set(true);
            for (Thread thread : threads) {
                thread.join(60_000);
            }
            System.out.printf("kill %d at %d readings sent, %d acknowledged%n", kill + 1, sent.get(), acknowledged.size());
        }
        start();

        int stored = 0;
        for (String id : acknowledged) {
            if (crashApi.get("/fhir/Observation/" + id, clinic.ehr()).status() == 200) {
                stored++;
            }
        }
        // A reading measured after every quiet period decides whatever each patient still has pending.
        Instant flush = start.plus(Duration.ofMinutes(minute.get() + 60));
        for (String p : patients) {
            JsonNode r = expect(crashApi.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                    FhirJson.bloodPressure(p, flush, 147, 92).toString()), 201).json();
            acknowledged.add(r.get("id").asText());
        }
        List<String> covered = new ArrayList<>();
        int openTasks = 0;
        for (String p : patients) {
            clinic.awaitDecisions(p);
            covered.addAll(coveredBy(p));
            openTasks = Math.max(openTasks, openTasksOf(p));
        }
        Set<String> distinct = new HashSet<>(covered);
        JsonNode verify = expect(clinic.api().get("/api/audit/verify", clinic.compliance()), 200).json();
        System.out.printf("crash recovery: %d kills; readings sent %d, acknowledged %d, of those stored %d; then %d flush"
                        + " readings; decisions covered %d readings (%d distinct: the acknowledged ones and %d that were"
                        + " stored but never answered); open tasks per patient at most %d; audit intact %s%n", KILLS,
                sent.get(), acknowledged.size() - patients.size(), stored, patients.size(), covered.size(),
                distinct.size(), distinct.size() - acknowledged.size(), openTasks, verify.get("intact").asBoolean());

        assertThat(stored).as("every 201 is stored").isEqualTo(acknowledged.size() - patients.size());
        assertThat(covered).as("no reading decided twice").hasSameSizeAs(distinct);
        assertThat(distinct).as("every acknowledged reading decided").containsAll(acknowledged);
        assertThat(openTasks).as("at most one open task per patient").isLessThanOrEqualTo(1);
        assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
    }

    /** Posts readings for the patients in turn until the server goes away; records every 201. */
    private static void stream(List<String> patients, Instant start, AtomicInteger minute, AtomicInteger sent,
                               Set<String> acknowledged, AtomicBoolean down) {
        while (!down.get()) {
            int m = minute.incrementAndGet();
            if (m > 40 * 60) {
                return; // measurement times stay well in the past, however fast the server answers
            }
            for (String p : patients) {
                sent.incrementAndGet();
                try {
                    ClinLoopClient.Reply r = crashApi.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                            FhirJson.bloodPressure(p, start.plus(Duration.ofMinutes(m)), 140 + m % 15, 90).toString());
                    if (r.status() == 201) {
                        acknowledged.add(r.json().get("id").asText());
                    }
                } catch (IllegalStateException e) {
                    return; // the connection broke: this request was never acknowledged
                }
            }
        }
    }

    private static List<String> coveredBy(String patient) {
        List<String> ids = new ArrayList<>();
        for (String type : List.of("PROPOSAL_MADE", "PROPOSAL_SKIPPED")) {
            for (JsonNode e : expect(clinic.api().get("/api/audit/entries?patient=" + patient + "&type=" + type
                    + "&limit=1000", clinic.compliance()), 200).json()) {
                try {
                    new ObjectMapper().readTree(e.get("detailJson").asText()).path("covered")
                            .forEach(c -> ids.add(c.asText()));
                } catch (IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return ids;
    }

    private static int openTasksOf(String patient) {
        int n = 0;
        for (JsonNode t : expect(clinic.api().get("/api/tasks?status=REQUESTED&limit=500",
                clinic.clinician(Clinic.RIVERA)), 200).json()) {
            if (patient.equals(t.get("patientId").asText())) {
                n++;
            }
        }
        return n;
    }

    private static void start() throws Exception {
        run("start");
        HttpClient http = HttpClient.newHttpClient();
        Instant until = Instant.now().plus(Duration.ofMinutes(4));
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Expected " + SERVER + " ready on port " + port + " within 4 min");
    }

    private static void run(String action) throws Exception {
        Process p = new ProcessBuilder(wlp.resolve("bin/server").toString(), action, SERVER)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        if ("start".equals(action) && code != 0) {
            throw new IllegalStateException("server start " + SERVER + " exited " + code + ": " + out);
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
