package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.clinloop.client.Clinic;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.localdb.LocalDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 17, a database outage: the service's own PostgreSQL (the local database, as in {@link
 * LocalDatabaseCrashIT}) is stopped for {@value #OUTAGE_SECONDS} s while readings stream in and
 * reads are made on {@code /fhir} and {@code /api}, then started again. Every refusal must be a 503
 * with {@code Retry-After} and an OperationOutcome, never another 5xx; readiness must go DOWN and come
 * back UP by itself, in the same server process; every reading answered 201 must be stored; the
 * decision outbox and the audit outbox must drain and the worker must decide again; the audit log must
 * verify. Then the service is started while the database is down: it must answer 503s and report
 * not ready, and become ready once the database starts, without a restart.
 */
class DatabaseOutageIT {

    static final int THREADS = 4;
    static final int OUTAGE_SECONDS = 30;

    static ServiceOnLocalDatabase service;
    static LocalDatabase db;
    static SecondServer server;
    static Clinic local;

    /** Every answer that was a 5xx other than a well-formed 503 (Retry-After and an OperationOutcome). */
    final List<String> bad = Collections.synchronizedList(new ArrayList<>());
    final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();

    @BeforeAll
    static void localDatabaseAndServer() throws Exception {
        service = ServiceOnLocalDatabase.start("clinloop-outage", 30);
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
    void aThirtySecondOutageIsAnswered503AndEverythingResumesWithoutARestart() throws Exception {
        List<String> patients = new ArrayList<>();
        List<List<String>> groups = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            String id = "outage-" + UUID.randomUUID().toString().substring(0, 8);
            local.registerPatient(id, "Outage", "Patient", "unknown", "1960-01-01", "dr-rivera");
            local.setRegimen(id, Clinic.RIVERA, 2);
            patients.add(id);
            groups.add(List.of(id));
        }
        long pid = server.pid();
        ClinLoopClient api = server.api();
        ReadingStream readings = new ReadingStream(api, local::ehr);
        readings.observer = r -> note("POST /fhir/Observation", r);
        Readiness readiness = new Readiness(server.url());
        AtomicBoolean done = new AtomicBoolean();
        Thread reader = new Thread(() -> read(api, patients, done));

        readiness.start();
        reader.start();
        ReadingStream.Round round = readings.stream(groups);
        readings.awaitAcknowledged(40, Duration.ofMinutes(2), 0);
        int decidedBefore = decisionsMade(api, patients);

        Instant stopped = Instant.now();
        db.stop();
        int acknowledgedAtStop = readings.acknowledged.size();
        Thread.sleep(Duration.ofSeconds(OUTAGE_SECONDS).toMillis());
        int acknowledgedDuring = readings.acknowledged.size() - acknowledgedAtStop;
        db.start();
        Instant started = Instant.now();
        Instant upAgain = withThreadDump(() -> readiness.awaitUpAfter(started, Duration.ofMinutes(2)));
        readings.awaitAcknowledged(100, Duration.ofMinutes(2), 0);
        round.awaitDown();
        done.set(true);
        reader.join(30_000);

        JsonNode drained = withThreadDump(() -> awaitDrained(api, Duration.ofMinutes(2)));
        readiness.stop();
        List<String> missing = new ArrayList<>();
        for (String id : readings.acknowledged) {
            if (api.get("/fhir/Observation/" + id, local.ehr()).status() != 200) {
                missing.add(id);
            }
        }
        int decidedAfter = decisionsMade(api, patients);
        JsonNode verify = expect(api.get("/api/audit/verify", local.compliance()), 200).json();
        Instant firstDown = readiness.firstDownAfter(stopped);
        String log = Files.readString(server.messages());

        System.out.printf("database outage (%d s): readings sent %d, answered 201 %d (%d while the database was down),"
                        + " 503 %d; answers by kind %s; other 5xx %d; stored afterwards %d of %d; readiness DOWN %.1f s"
                        + " after the stop, UP %.1f s after the start (DOWN for %.1f s); decisions %d before, %d after;"
                        + " outage warnings logged %d, resumptions %d; audit intact %s (%s entries)%n",
                OUTAGE_SECONDS, readings.sent.get(), readings.acknowledged.size(), acknowledgedDuring,
                count("POST /fhir/Observation 503"), new java.util.TreeMap<>(statuses), bad.size(),
                readings.acknowledged.size() - missing.size(), readings.acknowledged.size(),
                seconds(stopped, firstDown), seconds(started, upAgain), seconds(firstDown, upAgain),
                decidedBefore, decidedAfter, occurrences(log, "the database is unavailable ("),
                occurrences(log, "the database answers again"), verify.get("intact").asBoolean(),
                verify.path("entriesChecked").asText());

        assertThat(bad).as("5xx answers other than a 503 with Retry-After and an OperationOutcome").isEmpty();
        assertThat(count("POST /fhir/Observation 503")).as("readings refused 503 during the outage").isPositive();
        assertThat(count("GET /fhir 503")).as("FHIR reads refused 503 during the outage").isPositive();
        assertThat(count("GET /api 503")).as("REST reads refused 503 during the outage").isPositive();
        assertThat(firstDown).as("readiness DOWN during the outage").isNotNull().isBefore(started);
        assertThat(upAgain).as("readiness UP again").isNotNull();
        assertThat(server.pid()).as("the same server process throughout").isEqualTo(pid);
        assertThat(missing).as("readings answered 201 but not stored").isEmpty();
        assertThat(drained.toString()).as("the outboxes drained").contains("\"UP\"");
        assertThat(decidedAfter).as("decisions made after the outage").isGreaterThan(decidedBefore);
        assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
        assertThat(log).as("no request failed as a fault (an incident)").doesNotContain(", incident ");
    }

    @Test
    void aServiceStartedWhileTheDatabaseIsDownBecomesReadyOnceItStarts() throws Exception {
        server.stop();
        db.stop();
        server.launch();
        Readiness readiness = new Readiness(server.url());
        readiness.start();
        try {
            readiness.awaitAnswer(Duration.ofMinutes(3));
            Thread.sleep(10_000); // the service has been up a while, the database still down
            HttpResponse<String> probe = readiness.probe();
            assertThat(probe.statusCode()).as("readiness while the database is down: " + probe.body()).isEqualTo(503);
            String patient = "boot-" + UUID.randomUUID().toString().substring(0, 8);
            ClinLoopClient.Reply refused = server.api().post("/fhir/Observation", local.ehr(), ClinLoopClient.FHIR_JSON,
                    org.clinloop.client.FhirJson.bloodPressure(patient, Instant.now().minus(Duration.ofHours(1)), 150, 90)
                            .toString());
            note("POST /fhir/Observation (boot)", refused);
            ClinLoopClient.Reply refusedApi = server.api().get("/api/patients/" + patient + "/decisions",
                    local.compliance());
            note("GET /api (boot)", refusedApi);

            db.start();
            Instant started = Instant.now();
            Instant up = readiness.awaitUpAfter(started, Duration.ofMinutes(3));
            System.out.printf("boot with the database down: readiness %s while down (%s); UP %.1f s after the database"
                            + " started; answers %s%n", probe.statusCode(), probe.body(), seconds(started, up),
                    new java.util.TreeMap<>(statuses));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
            assertThat(refusedApi.status()).as(refusedApi.toString()).isEqualTo(503);
            assertThat(bad).isEmpty();
            local.registerPatient(patient, "Boot", "Patient", "unknown", "1960-01-01", "dr-rivera");
            expect(local.postReading(patient, Instant.now().minus(Duration.ofHours(1)), 150, 90), 201);
            assertThat(expect(server.api().get("/api/audit/verify", local.compliance()), 200).json().get("intact")
                    .asBoolean()).isTrue();
        } finally {
            readiness.stop();
            if (db.pid().isEmpty()) {
                db.start();
            }
        }
    }

    interface Wait<T> {
        T get() throws Exception;
    }

    /** The wait's result; when it fails, the server's threads are written to target/ first, to see what hung. */
    private static <T> T withThreadDump(Wait<T> wait) throws Exception {
        try {
            return wait.get();
        } catch (IllegalStateException e) {
            Path dump = Path.of("target", "outage-threads-" + System.currentTimeMillis() + ".txt");
            new ProcessBuilder("jstack", "-l", String.valueOf(server.pid())).redirectErrorStream(true)
                    .redirectOutput(dump.toFile()).start().waitFor();
            throw new IllegalStateException(e.getMessage() + " (server threads in " + dump.toAbsolutePath() + ")", e);
        }
    }

    /** FHIR and REST reads of the patients until {@code done}. */
    private void read(ClinLoopClient api, List<String> patients, AtomicBoolean done) {
        int i = 0;
        while (!done.get()) {
            String p = patients.get(i++ % patients.size());
            try {
                note("GET /fhir", api.get("/fhir/Observation?patient=" + p + "&_count=5", local.compliance()));
                note("GET /api", api.get("/api/patients/" + p + "/decisions", local.compliance()));
            } catch (IllegalStateException e) {
                bad.add("GET failed: " + e.getMessage());
            }
            sleep(300);
        }
    }

    /** Counts the answer; a 5xx that is not a 503 with Retry-After and an OperationOutcome is bad. */
    private void note(String what, ClinLoopClient.Reply r) {
        statuses.computeIfAbsent(what + " " + r.status(), k -> new AtomicInteger()).incrementAndGet();
        if (r.status() < 500) {
            return;
        }
        boolean outcome;
        try {
            outcome = "OperationOutcome".equals(r.json().path("resourceType").asText());
        } catch (RuntimeException notJson) {
            outcome = false;
        }
        if (r.status() != 503 || r.headers().firstValue("Retry-After").isEmpty() || !outcome) {
            bad.add(what + " " + r.status() + " Retry-After " + r.headers().firstValue("Retry-After").orElse("none") + ": "
                    + r.body());
        }
    }

    private int count(String key) {
        return statuses.getOrDefault(key, new AtomicInteger()).get();
    }

    /** Decisions the worker recorded for the patients (proposals made or skipped). */
    private static int decisionsMade(ClinLoopClient api, List<String> patients) {
        int n = 0;
        for (String p : patients) {
            for (String type : List.of("PROPOSAL_MADE", "PROPOSAL_SKIPPED")) {
                n += expect(api.get("/api/audit/entries?patient=" + p + "&type=" + type + "&limit=1000",
                        local.compliance()), 200).json().size();
            }
        }
        return n;
    }

    /** Waits until readiness shows no decision due and no audit event staged. */
    private static JsonNode awaitDrained(ClinLoopClient api, Duration limit) throws InterruptedException {
        Instant until = Instant.now().plus(limit);
        JsonNode ready = null;
        while (Instant.now().isBefore(until)) {
            ready = api.get("/health/ready", null).json();
            JsonNode data = ready.path("checks").path(0).path("data");
            if (data.path("decisionsPendingPatients").asLong(-1) == 0 && data.path("auditStagedEvents").asLong(-1) == 0) {
                return ready;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Expected the outboxes drained within " + limit + ", found " + ready);
    }

    private static double seconds(Instant from, Instant to) {
        return from == null || to == null ? Double.NaN : Duration.between(from, to).toMillis() / 1000.0;
    }

    private static int occurrences(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }


    /** {@code /health/ready} polled every 250 ms: when it answered 200 and when not. */
    static final class Readiness {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private final URI uri;
        private final List<Map.Entry<Instant, Integer>> seen = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stopped = new AtomicBoolean();
        private Thread thread;

        Readiness(String base) {
            this.uri = URI.create(base + "/health/ready");
        }

        void start() {
            thread = new Thread(() -> {
                while (!stopped.get()) {
                    try {
                        seen.add(Map.entry(Instant.now(), probe().statusCode()));
                    } catch (IOException e) {
                        seen.add(Map.entry(Instant.now(), -1)); // not listening
                    } catch (InterruptedException e) {
                        return;
                    }
                    sleep(250);
                }
            });
            thread.start();
        }

        HttpResponse<String> probe() throws IOException, InterruptedException {
            return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            thread.join(15_000);
        }

        Instant firstDownAfter(Instant from) {
            synchronized (seen) {
                return seen.stream().filter(e -> !e.getKey().isBefore(from) && e.getValue() == 503).map(Map.Entry::getKey)
                        .findFirst().orElse(null);
            }
        }

        Instant awaitUpAfter(Instant from, Duration limit) throws InterruptedException {
            Instant until = Instant.now().plus(limit);
            while (Instant.now().isBefore(until)) {
                synchronized (seen) {
                    for (Map.Entry<Instant, Integer> e : seen) {
                        if (!e.getKey().isBefore(from) && e.getValue() == 200) {
                            return e.getKey();
                        }
                    }
                }
                Thread.sleep(100);
            }
            throw new IllegalStateException("Expected readiness UP within " + limit + " of " + from + ", found " + last());
        }

        void awaitAnswer(Duration limit) throws InterruptedException {
            Instant until = Instant.now().plus(limit);
            while (Instant.now().isBefore(until)) {
                if (last() > 0) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new IllegalStateException("Expected /health/ready to answer within " + limit);
        }

        private int last() {
            synchronized (seen) {
                return seen.isEmpty() ? -1 : seen.get(seen.size() - 1).getValue();
            }
        }
    }
}
