package org.clinloop.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.clinloop.client.Clinic;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Credentials;
import org.clinloop.client.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;

/**
 * HTTP load on the ingest path of a running service on PostgreSQL: single Observations and
 * transaction Bundles of 100 at concurrency 1, 8 and 32, every reading going the whole way
 * (validation, storage, recommendation, rules, audit). In the same run, the baseline does what
 * any FHIR store must do with the same resources — HAPI parse and serialize, and a plain JDBC
 * insert of the same rows, committed per request — at the same concurrency, in this process.
 * Prints throughput, p50/p99 latency, the ratio of the full path to the baseline, and the
 * service's resident memory under load (from /proc, given its pid).
 *
 * <p>Arguments: {@code serviceUrl keycloakUrl jdbcUrl [pid] [secondsPerStep] [levels]}; the
 * secrets come from the environment {@code ./clinloop bench-http} sets up.
 */
public final class IngestLoad {

    static final int BUNDLE = 100;
    static final int PATIENTS_PER_WORKER = 16;
    static final Duration SPACING = Duration.ofMinutes(10);
    static final FhirContext FHIR = FhirContext.forR4Cached();

    /** Sends one unit of work (one request); returns the observations it carried, or throws. */
    interface Unit {
        int run(int worker, long seq) throws Exception;
    }

    record Result(String name, int concurrency, long requests, long observations, double seconds, long p50Micros,
                  long p99Micros, long errors, long maxRssKb) {
        double obsPerSecond() {
            return observations / seconds;
        }
    }

    private IngestLoad() {
    }

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String keycloak = args[1];
        String jdbc = args[2];
        long pid = args.length > 3 ? Long.parseLong(args[3]) : -1;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int[] levels = Arrays.stream((args.length > 5 ? args[5] : "1,8,32").split(",")).mapToInt(Integer::parseInt)
                .toArray();

        Clinic clinic = new Clinic(service, keycloak, Credentials.fromEnvironment());
        clinic.ensureActiveModel();
        int maxWorkers = Arrays.stream(levels).max().orElse(1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < maxWorkers * PATIENTS_PER_WORKER; i++) {
            String id = "bench-" + run + "-" + i;
            clinic.registerPatient(id, "Bench", "Patient" + i, "unknown", "1960-01-01", "dr-rivera");
            clinic.setRegimen(id, Clinic.RIVERA, 2);
            patients.add(id);
        }
        // HTTP/1.1 with a connection per worker, as gateways send (HTTP/2 would multiplex every worker on one connection).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        String token = clinic.ehr();
        // A home-monitored panel: each worker sends for its own patients in turn, each patient's readings
        // SPACING apart from a year ago (a realistic history in every 7-day window), in order, distinct.
        // Inside the decision horizon (7 days): older readings are kept as history and never decided on.
        Instant start = Instant.now().minus(Duration.ofDays(6));
        AtomicLongArray clock = new AtomicLongArray(maxWorkers * PATIENTS_PER_WORKER);
        AtomicLongArray baseClock = new AtomicLongArray(maxWorkers * PATIENTS_PER_WORKER);

        try (Connection db = DriverManager.getConnection(jdbc, "postgres", "")) {
            try (Statement s = db.createStatement()) {
                s.execute("create table if not exists bench_baseline_observation (id uuid primary key, patient_id text,"
                        + " code text, effective timestamptz, systolic double precision, diastolic double precision,"
                        + " resource_json text)");
                s.execute("truncate bench_baseline_observation");
            }
        }
        // One connection per worker index, reused across steps (threads are new each step).
        Connection[] connections = new Connection[maxWorkers];
        for (int i = 0; i < maxWorkers; i++) {
            connections[i] = DriverManager.getConnection(jdbc, "postgres", "");
        }

        Unit fullSingle = (w, seq) -> {
            int p = patientOf(w, seq);
            ObjectNode obs = reading(patients.get(p), at(start, clock.incrementAndGet(p)), seq);
            expect(http, service + "/fhir/Observation", token, obs.toString(), 201);
            return 1;
        };
        Unit fullBundle = (w, seq) -> {
            List<ObjectNode> entries = new ArrayList<>(BUNDLE);
            for (int i = 0; i < BUNDLE; i++) {
                int p = patientOf(w, seq);
                entries.add(reading(patients.get(p), at(start, clock.incrementAndGet(p)), seq * BUNDLE + i));
            }
            expect(http, service + "/fhir", token, FhirJson.transaction(entries).toString(), 200);
            return BUNDLE;
        };
        Unit baseSingle = (w, seq) -> {
            int p = patientOf(w, seq);
            String json = reading(patients.get(p), start.plus(SPACING.multipliedBy(baseClock.incrementAndGet(p) % 10_000)), seq).toString();
            IParser parser = FHIR.newJsonParser();
            Observation o = parser.parseResource(Observation.class, json);
            String stored = parser.encodeResourceToString(o);
            insert(connections[w], List.of(o), List.of(stored));
            return 1;
        };
        Unit baseBundle = (w, seq) -> {
            List<ObjectNode> entries = new ArrayList<>(BUNDLE);
            for (int i = 0; i < BUNDLE; i++) {
                int p = patientOf(w, seq);
                entries.add(reading(patients.get(p), start.plus(SPACING.multipliedBy(baseClock.incrementAndGet(p) % 10_000)), seq * BUNDLE + i));
            }
            IParser parser = FHIR.newJsonParser();
            Bundle b = parser.parseResource(Bundle.class, FhirJson.transaction(entries).toString());
            List<Observation> rows = new ArrayList<>(BUNDLE);
            List<String> json = new ArrayList<>(BUNDLE);
            for (Bundle.BundleEntryComponent e : b.getEntry()) {
                Observation o = (Observation) e.getResource();
                rows.add(o);
                json.add(parser.encodeResourceToString(o));
            }
            insert(connections[w], rows, json);
            return BUNDLE;
        };

        System.out.printf(Locale.ROOT, "ClinLoop ingest load: %s on %s, %d s per step, %d cores here%n", service, jdbc,
                seconds, Runtime.getRuntime().availableProcessors());
        List<Result[]> rows = new ArrayList<>();
        for (boolean bundle : new boolean[] {false, true}) {
            for (int c : levels) {
                Result base = measure((bundle ? "baseline bundle" : "baseline single"), c, seconds,
                        bundle ? baseBundle : baseSingle, -1);
                Result full = measure((bundle ? "full bundle" : "full single"), c, seconds,
                        bundle ? fullBundle : fullSingle, pid);
                rows.add(new Result[] {base, full});
                print(base);
                print(full);
            }
        }
        System.out.println();
        System.out.println("| request | c | full obs/s | p50 ms | p99 ms | baseline obs/s | p50 ms | p99 ms | full/baseline |"
                + " errors | service RSS MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Result[] r : rows) {
            Result base = r[0];
            Result full = r[1];
            System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %.0f | %.2f | %.2f | %.3f | %d | %s |%n",
                    full.name().endsWith("bundle") ? "Bundle of 100" : "single Observation", full.concurrency(),
                    full.obsPerSecond(), full.p50Micros() / 1000.0, full.p99Micros() / 1000.0, base.obsPerSecond(),
                    base.p50Micros() / 1000.0, base.p99Micros() / 1000.0, full.obsPerSecond() / base.obsPerSecond(),
                    full.errors(), full.maxRssKb() < 0 ? "n/a" : String.valueOf(full.maxRssKb() / 1024));
        }
        System.out.println("Goal: full/baseline >= 0.25 (the full path reaches a quarter of parse + serialize + insert).");
        if (pid > 0) {
            System.out.printf(Locale.ROOT, "Service resident memory after the run: %d MB%n", rssKb(pid) / 1024);
        }
    }

    /** Worker w's patients are w, w + workers, …; it sends to them in turn. */
    static int patientOf(int worker, long seq) {
        return worker * PATIENTS_PER_WORKER + (int) (seq % PATIENTS_PER_WORKER);
    }

    static Instant at(Instant start, long n) {
        Instant t = start.plus(SPACING.multipliedBy(n));
        if (t.isAfter(Instant.now())) {
            throw new IllegalStateException("Ran out of past for readings " + SPACING + " apart; use shorter steps.");
        }
        return t;
    }

    static ObjectNode reading(String patient, Instant at, long seq) {
        // Mostly in target with some high readings, as a home-monitored cohort would send.
        double systolic = 118 + (seq * 7919 % 40);
        double diastolic = 72 + (seq * 104729 % 18);
        return FhirJson.bloodPressure(patient, at, systolic, diastolic);
    }

    static void expect(HttpClient http, String url, String token, String body, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(120))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", ClinLoopClient.FHIR_JSON)
                .header("Prefer", "return=minimal")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != status) {
            throw new IllegalStateException("Expected HTTP " + status + ", found " + r.statusCode() + ": "
                    + r.body().substring(0, Math.min(400, r.body().length())));
        }
    }

    static void insert(Connection c, List<Observation> obs, List<String> json) throws Exception {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("insert into bench_baseline_observation values (?,?,?,?,?,?,?)")) {
            for (int i = 0; i < obs.size(); i++) {
                Observation o = obs.get(i);
                ps.setObject(1, UUID.randomUUID());
                ps.setString(2, o.getSubject().getReference());
                ps.setString(3, o.getCode().getCodingFirstRep().getCode());
                ps.setTimestamp(4, Timestamp.from(o.getEffectiveDateTimeType().getValue().toInstant()));
                ps.setDouble(5, o.getComponent().get(0).getValueQuantity().getValue().doubleValue());
                ps.setDouble(6, o.getComponent().get(1).getValueQuantity().getValue().doubleValue());
                ps.setString(7, json.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
        c.commit();
    }

    static Result measure(String name, int concurrency, int seconds, Unit unit, long pid) throws Exception {
        // Warm up for a fifth of the step, then measure.
        runFor(unit, concurrency, Math.max(2, seconds / 5), -1);
        return runFor(unit, concurrency, seconds, pid).named(name, concurrency);
    }

    private record Raw(long requests, long observations, double seconds, long[] micros, long errors, long maxRss) {
        Result named(String name, int c) {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            return new Result(name, c, requests, observations, seconds, percentile(sorted, 0.50),
                    percentile(sorted, 0.99), errors, maxRss);
        }
    }

    private static Raw runFor(Unit unit, int concurrency, int seconds, long pid) throws Exception {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong requests = new AtomicLong();
        AtomicLong observations = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            long[] mine = new long[1 << 18];
            int[] n = new int[1];
            latencies.add(mine);
            counts.add(n);
            int worker = w;
            Thread t = new Thread(() -> {
                long seq = 0;
                try {
                    while (System.nanoTime() < until) {
                        long t0 = System.nanoTime();
                        try {
                            observations.addAndGet(unit.run(worker, seq++));
                            requests.incrementAndGet();
                            if (n[0] < mine.length) {
                                mine[n[0]++] = (System.nanoTime() - t0) / 1000;
                            }
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println("error: " + e.getMessage());
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + w);
            t.start();
        }
        long maxRss = -1;
        while (!done.await(250, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            if (pid > 0) {
                maxRss = Math.max(maxRss, rssKb(pid));
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int k = 0;
        for (int i = 0; i < latencies.size(); i++) {
            System.arraycopy(latencies.get(i), 0, all, k, counts.get(i)[0]);
            k += counts.get(i)[0];
        }
        return new Raw(requests.get(), observations.get(), elapsed, all, errors.get(), maxRss);
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** Resident set size of a process in KiB, from /proc (Linux). */
    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void print(Result r) {
        System.out.printf(Locale.ROOT, "%-16s c=%-3d %8d requests %9.0f obs/s  p50 %7.2f ms  p99 %7.2f ms  errors %d%s%n",
                r.name(), r.concurrency(), r.requests(), r.obsPerSecond(), r.p50Micros() / 1000.0,
                r.p99Micros() / 1000.0, r.errors(), r.maxRssKb() < 0 ? "" : "  service RSS max " + r.maxRssKb() / 1024 + " MB");
    }
}
