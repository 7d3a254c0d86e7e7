package org.clinloop.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.clinloop.bench.LoadStep.Result;
import org.clinloop.bench.LoadStep.Unit;
import org.clinloop.client.Clinic;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Credentials;
import org.clinloop.client.FhirJson;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;

/**
 * HTTP load on the ingest path of a running service on PostgreSQL: single Observations at the
 * given concurrency levels and transaction Bundles of 100 at theirs. An acknowledged reading is
 * whatever the service guarantees at its 2xx (validated, stored, audited, safety-checked; the
 * decision may still be pending), so nothing here waits for or looks for a decision.
 *
 * <p>In the same run, with the same payloads and the same HTTP client:
 * <ul>
 *   <li>the <b>peer</b>, when given: a stock HAPI FHIR JPA server on its own database of the same
 *       PostgreSQL (started by {@code ./clinloop bench-http} from {@code ../shared/peers}), loaded
 *       at the same levels without auth, for the patients it needs created first;</li>
 *   <li>the <b>baseline</b>: what any FHIR store must do with the same resources — HAPI parse and
 *       serialize, and a plain JDBC insert of the same rows, committed per request — in this
 *       process, at the same concurrency.</li>
 * </ul>
 * Prints throughput of acknowledged readings, p50/p99 latency of successful requests, errors
 * apart, the ratios ClinLoop/peer and ClinLoop/baseline, resident memory of both servers (from
 * /proc, given their pids), and checks at the end that each server stored as many Observations
 * as it acknowledged. Exits with status 1 if either lost an acknowledged reading.
 *
 * <p>Arguments: {@code serviceUrl keycloakUrl jdbcUrl [pid] [secondsPerStep] [levels] [bundleLevels]}
 * (defaults 20 s, {@code 1,8,32}, {@code 1,4}); the peer through system properties
 * {@code bench.peer.fhir} (its FHIR base URL), {@code bench.peer.pid} and {@code bench.peer.jdbc}.
 * The secrets come from the environment {@code ./clinloop bench-http} sets up.
 */
public final class IngestLoad {

    static final int BUNDLE = 100;
    static final int PATIENTS_PER_WORKER = 16;
    static final Duration SPACING = Duration.ofMinutes(10);
    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final ObjectMapper JSON = new ObjectMapper();
    /** The longest wait for both servers to go quiet between steps. */
    static final int SETTLE_SECONDS = 60;

    /**
     * A FHIR server under load. Each keeps its own clock of reading times per patient (so each
     * receives the same sequence of readings) and counts what it acknowledged, warm-ups included,
     * to check against what it stored.
     */
    record Server(String name, String fhirBase, Supplier<String> token, long pid, AtomicLongArray clock,
                  AtomicLong acknowledged, AtomicLong failedRequests) {
        Server(String name, String fhirBase, Supplier<String> token, long pid, int patients) {
            this(name, fhirBase, token, pid, new AtomicLongArray(patients), new AtomicLong(), new AtomicLong());
        }
    }

    /** One row of the table: a request kind at one concurrency, each side measured in the same minute. */
    record Level(String request, int concurrency, Result baseline, Result clinloop, Result peer) {
    }

    private final HttpClient http;
    private final List<String> patients;
    private final Instant start;
    private final AtomicLongArray baseClock;
    private final Connection[] connections;

    private IngestLoad(HttpClient http, List<String> patients, Instant start, Connection[] connections) {
        this.http = http;
        this.patients = patients;
        this.start = start;
        this.baseClock = new AtomicLongArray(patients.size());
        this.connections = connections;
    }

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String keycloak = args[1];
        String jdbc = args[2];
        long pid = args.length > 3 ? Long.parseLong(args[3]) : -1;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 20;
        int[] levels = levels(args.length > 5 ? args[5] : "1,8,32");
        int[] bundleLevels = levels(args.length > 6 ? args[6] : "1,4");
        String peerFhir = System.getProperty("bench.peer.fhir", "");
        long peerPid = Long.getLong("bench.peer.pid", -1);
        String peerJdbc = System.getProperty("bench.peer.jdbc", "");

        Clinic clinic = Clinic.withPasswordGrant(service, keycloak, Credentials.fromEnvironment());
        clinic.ensureActiveModel();
        int maxWorkers = IntStream.concat(Arrays.stream(levels), Arrays.stream(bundleLevels)).max().orElse(1);
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < maxWorkers * PATIENTS_PER_WORKER; i++) {
            String id = "bench-" + run + "-" + i;
            clinic.registerPatient(id, "Bench", "Patient" + i, "unknown", "1960-01-01", "dr-rivera");
            clinic.setRegimen(id, Clinic.RIVERA, 2);
            patients.add(id);
        }
        // HTTP/1.1 with a connection per worker, as gateways send (HTTP/2 would multiplex every worker on one
        // connection). One client for both servers.
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        // The token is looked up per request: the client caches it and renews it before it expires, and a run
        // with the peer lasts longer than one token.
        Server clinloop = new Server("ClinLoop", service + "/fhir", clinic::ehr, pid, patients.size());
        Server peer = peerFhir.isEmpty() ? null : new Server("peer", peerFhir, null, peerPid, patients.size());
        if (peer != null) {
            createOnPeer(http, peer, patients);
        }
        // A home-monitored panel: each worker sends for its own patients in turn, each patient's readings
        // SPACING apart from 6 days ago, in order, distinct: inside the decision horizon (7 days).
        Instant start = Instant.now().minus(Duration.ofDays(6));

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
        IngestLoad load = new IngestLoad(http, patients, start, connections);

        System.out.printf(Locale.ROOT, "ClinLoop ingest load: %s on %s, %d s per step, %d cores here%n", service, jdbc,
                seconds, Runtime.getRuntime().availableProcessors());
        System.out.println(peer == null ? "No peer in this run: ratios to the peer are not printed."
                : "Peer: HAPI FHIR JPA server at " + peerFhir + " on " + peerJdbc + (peerPid > 0 ? ", pid " + peerPid : ""));
        LoadStep.settle(SETTLE_SECONDS, pid, peerPid);
        List<Level> rows = new ArrayList<>();
        int step = 0;
        for (boolean bundle : new boolean[] {false, true}) {
            for (int c : bundle ? bundleLevels : levels) {
                String kind = bundle ? "bundle" : "single";
                Result base = LoadStep.measure("baseline " + kind, c, seconds,
                        bundle ? load.baselineBundle(c) : load.baselineSingle(c), -1);
                print(base, -1);
                // The two servers are measured back to back at each level rather than one after the other over
                // the whole run: the load on this shared machine drifts over minutes (other builds, PostgreSQL
                // checkpoints and autovacuum), and back to back both see the same minute. Who goes first
                // alternates per level so that neither always inherits the other's leftovers. Between steps,
                // both servers are let go quiet, so that work one defers past its answers is not charged to the
                // next step; the wait after ClinLoop is printed, as it is work not seen in its throughput.
                Result[] pair = new Result[2];
                Server[] order = peer == null ? new Server[] {clinloop}
                        : step++ % 2 == 0 ? new Server[] {clinloop, peer} : new Server[] {peer, clinloop};
                for (Server s : order) {
                    Result r = LoadStep.measure(s.name() + " " + kind, c, seconds,
                            bundle ? load.bundle(s, c) : load.single(s, c), s.pid());
                    print(r, LoadStep.settle(SETTLE_SECONDS, pid, peerPid));
                    pair[s == clinloop ? 0 : 1] = r;
                }
                rows.add(new Level(bundle ? "Bundle of " + BUNDLE : "single Observation", c, base, pair[0], pair[1]));
            }
        }
        printTable(rows, peer != null);
        boolean lost = checkStored(clinloop, jdbc, "bench-" + run + "-%");
        if (peer != null) {
            lost |= checkStored(http, peer, peerJdbc);
        }
        printRss("ClinLoop service", pid);
        printRss("peer", peerPid);
        if (lost) {
            System.exit(1);
        }
    }

    static int[] levels(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    /** The peer keeps referential integrity: the practitioner and patients the payloads reference come first. */
    static void createOnPeer(HttpClient http, Server peer, List<String> patients) throws Exception {
        ObjectNode practitioner = JSON.createObjectNode().put("resourceType", "Practitioner").put("id", "dr-rivera");
        practitioner.putArray("name").addObject().put("family", "Rivera");
        put(http, peer.fhirBase() + "/Practitioner/dr-rivera", practitioner.toString());
        for (int i = 0; i < patients.size(); i++) {
            String id = patients.get(i);
            put(http, peer.fhirBase() + "/Patient/" + id,
                    FhirJson.patient(id, "Bench", "Patient" + i, "unknown", "1960-01-01", "dr-rivera").toString());
        }
    }

    private static void put(HttpClient http, String url, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", ClinLoopClient.FHIR_JSON).PUT(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("PUT " + url + ": expected 2xx, found " + r.statusCode() + ": " + head(r.body()));
        }
    }

    /**
     * At concurrency c, worker w sends to patients w, w + c, w + 2c, … in turn: no two workers of a step
     * share a patient (a patient's decisions are serialized), and every step spreads over all patients,
     * so a fast server at c=1 does not use up one worker's few patients' reading times.
     */
    int patientOf(int worker, int concurrency, long seq) {
        int mine = (patients.size() - worker + concurrency - 1) / concurrency;
        return worker + concurrency * (int) (seq % mine);
    }

    Instant at(AtomicLongArray clock, int patient) {
        Instant t = start.plus(SPACING.multipliedBy(clock.incrementAndGet(patient)));
        if (t.isAfter(Instant.now())) {
            throw new LoadStep.Exhausted("ran out of past for readings " + SPACING + " apart for " + patients.get(patient)
                    + "; use shorter steps");
        }
        return t;
    }

    static ObjectNode reading(String patient, Instant at, long seq) {
        // Mostly in target with some high readings, as a home-monitored cohort would send.
        double systolic = 118 + (seq * 7919 % 40);
        double diastolic = 72 + (seq * 104729 % 18);
        return FhirJson.bloodPressure(patient, at, systolic, diastolic);
    }

    Unit single(Server s, int concurrency) {
        return (w, seq) -> {
            int p = patientOf(w, concurrency, seq);
            String body = reading(patients.get(p), at(s.clock(), p), seq).toString();
            return send(s, "/Observation", body, 1, false);
        };
    }

    Unit bundle(Server s, int concurrency) {
        return (w, seq) -> {
            List<ObjectNode> entries = new ArrayList<>(BUNDLE);
            for (int i = 0; i < BUNDLE; i++) {
                int p = patientOf(w, concurrency, seq);
                entries.add(reading(patients.get(p), at(s.clock(), p), seq * BUNDLE + i));
            }
            return send(s, "", FhirJson.transaction(entries).toString(), BUNDLE, true);
        };
    }

    /**
     * POSTs one request; a non-2xx answer, a transaction answer with a refused entry, or no answer is an
     * error (thrown, so it is never counted as throughput). Returns the observations acknowledged.
     */
    private int send(Server s, String path, String body, int observations, boolean transaction) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.fhirBase() + path))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", ClinLoopClient.FHIR_JSON)
                .header("Prefer", "return=minimal");
        if (s.token() != null) {
            b.header("Authorization", "Bearer " + s.token().get());
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            s.failedRequests().incrementAndGet();
            throw new IllegalStateException(s.name() + ": no answer: " + e, e);
        }
        if (r.statusCode() / 100 != 2) {
            s.failedRequests().incrementAndGet();
            throw new IllegalStateException(s.name() + ": expected 2xx, found " + r.statusCode() + ": " + head(r.body()));
        }
        if (transaction) {
            int accepted = 0;
            for (JsonNode e : JSON.readTree(r.body()).path("entry")) {
                accepted += e.path("response").path("status").asText().startsWith("2") ? 1 : 0;
            }
            s.acknowledged().addAndGet(accepted);
            if (accepted != observations) {
                s.failedRequests().incrementAndGet();
                throw new IllegalStateException(s.name() + ": expected " + observations + " entries accepted, found "
                        + accepted + ": " + head(r.body()));
            }
        } else {
            s.acknowledged().addAndGet(observations);
        }
        return observations;
    }

    Unit baselineSingle(int concurrency) {
        return (w, seq) -> {
            int p = patientOf(w, concurrency, seq);
            String json = reading(patients.get(p), baselineAt(p), seq).toString();
            IParser parser = FHIR.newJsonParser();
            Observation o = parser.parseResource(Observation.class, json);
            String stored = parser.encodeResourceToString(o);
            insert(connections[w], List.of(o), List.of(stored));
            return 1;
        };
    }

    Unit baselineBundle(int concurrency) {
        return (w, seq) -> {
            List<ObjectNode> entries = new ArrayList<>(BUNDLE);
            for (int i = 0; i < BUNDLE; i++) {
                int p = patientOf(w, concurrency, seq);
                entries.add(reading(patients.get(p), baselineAt(p), seq * BUNDLE + i));
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
    }

    /** The baseline stores plain rows with no uniqueness to keep, so its clock may wrap around. */
    private Instant baselineAt(int patient) {
        return start.plus(SPACING.multipliedBy(baseClock.incrementAndGet(patient) % 10_000));
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

    /** ClinLoop: rows in its observation table for this run's patients. Returns true if any acknowledged one is missing. */
    static boolean checkStored(Server clinloop, String jdbc, String patientPattern) throws Exception {
        long stored;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement ps = c.prepareStatement("select count(*) from observation where patient_id like ?")) {
            ps.setString(1, patientPattern);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                stored = rs.getLong(1);
            }
        }
        return report(clinloop, stored, "rows in its observation table for this run's patients");
    }

    /** The peer: its own count (search cache bypassed), and its resource table when its database is given. */
    static boolean checkStored(HttpClient http, Server peer, String peerJdbc) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(peer.fhirBase() + "/Observation?_summary=count"))
                .timeout(Duration.ofSeconds(120)).header("Accept", ClinLoopClient.FHIR_JSON)
                .header("Cache-Control", "no-cache").GET().build(), HttpResponse.BodyHandlers.ofString());
        long counted = r.statusCode() == 200 ? JSON.readTree(r.body()).path("total").asLong(-1) : -1;
        String how = "GET Observation?_summary=count";
        if (!peerJdbc.isEmpty()) {
            try (Connection c = DriverManager.getConnection(peerJdbc, "postgres", "");
                 Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select count(*) from hfj_resource where res_type = 'Observation'"
                         + " and res_deleted_at is null")) {
                rs.next();
                long rows = rs.getLong(1);
                how += "; its hfj_resource table holds " + rows;
                if (counted < 0 || rows != counted) {
                    how += " (the two disagree; the table is taken)";
                    counted = rows;
                }
            }
        }
        return report(peer, counted, how);
    }

    private static boolean report(Server s, long stored, String how) {
        long acked = s.acknowledged().get();
        String verdict;
        if (stored < 0) {
            verdict = "COULD NOT COUNT";
        } else if (stored < acked) {
            verdict = "LOST " + (acked - stored) + " acknowledged readings";
        } else if (stored > acked) {
            verdict = (stored - acked) + " stored beyond those acknowledged (failed requests may still have committed)";
        } else {
            verdict = "all acknowledged readings stored";
        }
        System.out.printf(Locale.ROOT, "%-8s acknowledged %d Observations (warm-ups included), stored %d (%s);"
                + " failed requests %d: %s%n", s.name(), acked, stored, how, s.failedRequests().get(), verdict);
        return stored < acked;
    }

    private static void printTable(List<Level> rows, boolean withPeer) {
        System.out.println();
        if (withPeer) {
            System.out.println("| request | c | ClinLoop obs/s | p50 ms | p99 ms | errors | peer obs/s | p50 ms | p99 ms | errors"
                    + " | ClinLoop/peer | baseline obs/s | ClinLoop/baseline | peer/baseline | ClinLoop RSS MB | peer RSS MB |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        } else {
            System.out.println("| request | c | ClinLoop obs/s | p50 ms | p99 ms | errors | baseline obs/s | ClinLoop/baseline"
                    + " | ClinLoop RSS MB |");
            System.out.println("|---|---|---|---|---|---|---|---|---|");
        }
        for (Level l : rows) {
            Result cl = l.clinloop();
            Result base = l.baseline();
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "| %s | %d | %s |", l.request(),
                    l.concurrency(), figures(cl)));
            if (withPeer) {
                row.append(String.format(Locale.ROOT, " %s | %.2f |", figures(l.peer()),
                        cl.obsPerSecond() / l.peer().obsPerSecond()));
            }
            row.append(String.format(Locale.ROOT, " %.0f | %.3f |", base.obsPerSecond(),
                    cl.obsPerSecond() / base.obsPerSecond()));
            if (withPeer) {
                row.append(String.format(Locale.ROOT, " %.3f |", l.peer().obsPerSecond() / base.obsPerSecond()));
            }
            row.append(' ').append(mb(cl.maxRssKb())).append(" |");
            if (withPeer) {
                row.append(' ').append(mb(l.peer().maxRssKb())).append(" |");
            }
            System.out.println(row);
        }
        System.out.println("Throughput counts acknowledged readings only; latencies are of successful requests; RSS is"
                + " the most seen during the step.");
        if (withPeer) {
            System.out.println("Goal (issue 13): ClinLoop/peer >= 1.0 at every level, with a lower p99 than the peer.");
        }
        System.out.println("Goal: ClinLoop/baseline >= 0.25 (the full path reaches a quarter of parse + serialize + insert).");
    }

    private static String figures(Result r) {
        return String.format(Locale.ROOT, "%.0f | %.1f | %.1f | %d", r.obsPerSecond(), r.p50Micros() / 1000.0,
                r.p99Micros() / 1000.0, r.errors());
    }

    private static String mb(long kb) {
        return kb < 0 ? "n/a" : String.valueOf(kb / 1024);
    }

    private static void printRss(String what, long pid) {
        long kb = LoadStep.rssKb(pid);
        if (kb >= 0) {
            System.out.printf(Locale.ROOT, "%s resident memory after the run: %d MB (pid %d)%n", what, kb / 1024, pid);
        }
    }

    private static void print(Result r, double settledSeconds) {
        System.out.printf(Locale.ROOT, "%-17s c=%-3d %8d requests %9.0f obs/s  p50 %8.2f ms  p99 %8.2f ms  errors %d%s%s%n",
                r.name(), r.concurrency(), r.requests(), r.obsPerSecond(), r.p50Micros() / 1000.0,
                r.p99Micros() / 1000.0, r.errors(), r.maxRssKb() < 0 ? "" : "  RSS max " + r.maxRssKb() / 1024 + " MB",
                settledSeconds < 0 ? "" : String.format(Locale.ROOT, "  quiet again after %.0f s", settledSeconds));
    }

    private static String head(String body) {
        return body.substring(0, Math.min(400, body.length()));
    }
}
