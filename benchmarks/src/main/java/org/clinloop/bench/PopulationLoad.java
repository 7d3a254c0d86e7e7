package org.clinloop.bench;

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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.clinloop.bench.IngestTally.Kind;
import org.clinloop.bench.IngestTally.Phase;
import org.clinloop.bench.PopulationSchedule.Request;
import org.clinloop.client.Clinic;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Credentials;
import org.clinloop.client.FhirJson;

/**
 * A population streamed at a running service on PostgreSQL (issue 13, population goal): PATIENTS
 * registered patients with a regimen, sent readings at RATE per second for MINUTES on a seeded
 * open-loop schedule ({@link PopulationSchedule}: bursts of 10× for 10 s, half single POSTs and half
 * gateway transaction Bundles of 10–100). Prints every 10 s, and at the end: ingest latency per kind
 * of request, the rate achieved, errors, the decision outbox from {@code /metrics}, decisions so far,
 * the service's resident memory and the decision lag of a 1 % sample ({@link DecisionLag}); then how
 * long the outbox took to drain after each burst and after the stream, whether every acknowledged
 * reading is stored (exit status 1 if not), decisions per reading, and the targets beside the
 * figures. A benchmark that prints figures, not a test: only a lost reading fails it.
 *
 * <p>Arguments: {@code serviceUrl keycloakUrl jdbcUrl pid [minutes] [patients] [rate]} (defaults 10,
 * 10000, 110); seed {@code -Dbench.seed} (default 13). Secrets from the environment that
 * {@code ./clinloop bench-population} sets up.
 */
public final class PopulationLoad {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Requests in flight at most: a gateway fleet's connections. Beyond this, due requests wait here. */
    static final int CLIENT_THREADS = 128;
    /** A request due longer ago than this when a thread is free for it is not sent (counted apart). */
    static final Duration LATE_LIMIT = Duration.ofSeconds(30);
    static final int REGISTER_BUNDLE = 100;
    static final Duration DRAIN_LIMIT = Duration.ofMinutes(10);
    static final int REPORT_EVERY_SECONDS = 10;

    private final HttpClient http;
    private final Clinic clinic;
    private final String fhir;
    private final IngestTally tally = new IngestTally();
    private final AtomicLong readingsDue = new AtomicLong();
    private final AtomicLong lastAnswerNanos = new AtomicLong();
    private PopulationSchedule plan;
    private List<String> patients;
    private Instant firstMeasured;
    private long started;
    private double warmUpSeconds;
    private DecisionLag lag;

    private PopulationLoad(HttpClient http, Clinic clinic, String service) {
        this.http = http;
        this.clinic = clinic;
        this.fhir = service + "/fhir";
    }

    public static void main(String[] args) throws Exception {
        String service = args[0];
        String keycloak = args[1];
        String jdbc = args[2];
        long pid = Long.parseLong(args[3]);
        int minutes = args.length > 4 ? Integer.parseInt(args[4]) : 10;
        int patientCount = args.length > 5 ? Integer.parseInt(args[5]) : 10_000;
        double rate = args.length > 6 ? Double.parseDouble(args[6]) : 110;
        long seed = Long.getLong("bench.seed", 13);

        PopulationSchedule plan = PopulationSchedule.plan(patientCount, rate, minutes * 60, seed);
        // Fail before registering anything if the stream cannot fit in the decision horizon.
        plan.firstMeasurement(Instant.now());
        Clinic clinic = Clinic.withPasswordGrant(service, keycloak, Credentials.fromEnvironment());
        clinic.ensureActiveModel();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        PopulationLoad load = new PopulationLoad(http, clinic, service);
        load.plan = plan;
        System.out.printf(Locale.ROOT, "ClinLoop population: %s on %s, %d cores here, seed %d%n", service, jdbc,
                Runtime.getRuntime().availableProcessors(), seed);
        load.register(jdbc, patientCount);
        LoadStep.settle(30, pid);

        System.out.printf(Locale.ROOT, "Stream: %d min at %.0f readings/s, %d readings in %d requests (%d single, %d"
                        + " Bundles of %d-%d), %d burst(s) of %dx for %d s at %s s, %d readings sampled for decision lag%n",
                minutes, rate, plan.readings, plan.requests.size(), plan.requests.stream().filter(r -> !r.bundle()).count(),
                plan.requests.stream().filter(Request::bundle).count(), PopulationSchedule.MIN_BUNDLE,
                PopulationSchedule.MAX_BUNDLE, plan.bursts.size(), PopulationSchedule.BURST_FACTOR,
                PopulationSchedule.BURST_LENGTH.toSeconds(),
                plan.bursts.stream().map(b -> String.format(Locale.ROOT, "%.0f", b.start())).toList(),
                countSampled(plan));
        OutboxGauges gauges = new OutboxGauges(http, service, pid);
        PopulationReport report = load.stream(gauges, jdbc);
        System.exit(report.print() ? 0 : 1);
    }

    private static int countSampled(PopulationSchedule plan) {
        int n = 0;
        for (boolean s : plan.sampled) {
            n += s ? 1 : 0;
        }
        return n;
    }

    /**
     * Registers the patients as an EHR would: transaction Bundles of Patients, each with a lisinopril
     * 10 mg order, which sets the regimen (dose step 2) that makes the patient decided. Four Bundles at a
     * time. Checks that every patient has its place in the decision outbox.
     */
    private void register(String jdbc, int count) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String[] ids = new String[count];
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> sent = new ArrayList<>();
        for (int from = 0; from < count; from += REGISTER_BUNDLE) {
            int first = from;
            int last = Math.min(count, from + REGISTER_BUNDLE);
            sent.add(pool.submit(() -> {
                registerBundle(run, first, last, ids);
                return null;
            }));
        }
        for (Future<?> f : sent) {
            f.get();
        }
        pool.shutdown();
        patients = List.of(ids);
        long queued;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM decision_queue WHERE patient_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("varchar", ids));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                queued = rs.getLong(1);
            }
        }
        System.out.printf(Locale.ROOT, "Registered %d patients (run %s) with a regimen in %.1f s (%d per transaction"
                + " Bundle, 4 at a time; not part of the figures); %d have a decision queue row%n", count, run,
                (System.nanoTime() - t0) / 1e9, REGISTER_BUNDLE, queued);
        if (queued != count) {
            throw new IllegalStateException("expected " + count + " patients in decision_queue, found " + queued);
        }
    }

    private void registerBundle(String run, int first, int last, String[] ids) throws Exception {
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        var entries = bundle.putArray("entry");
        String authored = Instant.now().minus(Duration.ofDays(30)).toString();
        for (int i = first; i < last; i++) {
            String ref = "urn:uuid:" + UUID.randomUUID();
            ObjectNode patient = FhirJson.patient("pop-" + run + "-" + i, "Population", "Patient" + i,
                    i % 2 == 0 ? "female" : "male", (1940 + i % 50) + "-01-01", "dr-rivera");
            patient.remove("id");
            entries.addObject().put("fullUrl", ref).<ObjectNode>set("resource", patient).putObject("request")
                    .put("method", "POST").put("url", "Patient");
            ObjectNode order = JSON.createObjectNode().put("resourceType", "MedicationRequest").put("status", "active")
                    .put("intent", "order");
            order.putObject("medicationCodeableConcept").putArray("coding").addObject()
                    .put("system", "http://www.nlm.nih.gov/research/umls/rxnorm").put("code", "314076");
            order.putObject("subject").put("reference", ref);
            order.put("authoredOn", authored);
            ObjectNode dosage = order.putArray("dosageInstruction").addObject();
            dosage.putObject("timing").putObject("repeat").put("frequency", 1).put("period", 1).put("periodUnit", "d");
            dosage.putArray("doseAndRate").addObject().putObject("doseQuantity").put("value", 1);
            entries.addObject().<ObjectNode>set("resource", order).putObject("request").put("method", "POST")
                    .put("url", "MedicationRequest");
        }
        HttpResponse<String> r = post("", bundle.toString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("registration Bundle: expected 200, found " + r.statusCode() + ": "
                    + head(r.body()));
        }
        JsonNode answered = JSON.readTree(r.body()).path("entry");
        for (int i = first; i < last; i++) {
            String location = answered.path(2 * (i - first)).path("response").path("location").asText();
            ids[i] = idIn(location, "Patient/").orElseThrow(() -> new IllegalStateException(
                    "expected Patient/{id} as a registered patient's location, found " + location));
        }
    }

    /** Streams the plan, reporting every 10 s, then waits for the outbox to drain. */
    private PopulationReport stream(OutboxGauges gauges, String jdbc) throws Exception {
        lag = new DecisionLag(jdbc);
        double decisionsBefore = gauges.sample(0).decisions();
        warmUpSeconds = Math.min(20, plan.seconds / 5.0);
        started = System.nanoTime();
        tally.interval(); // the first interval starts with the stream, not with the registration
        firstMeasured = plan.firstMeasurement(Instant.now());
        System.out.printf(Locale.ROOT, "Measurement times: %s to %s, each patient's readings %d min apart (see"
                        + " PopulationSchedule.measuredAt); the first %.0f s are warm-up, left out of the latency figures"
                        + " only%n", firstMeasured, plan.measuredAt(firstMeasured, plan.readings - 1),
                PopulationSchedule.SPACING.toMinutes(), warmUpSeconds);
        Monitor monitor = new Monitor(gauges);
        Thread monitorThread = new Thread(monitor, "population-monitor");
        monitorThread.setDaemon(true);
        monitorThread.start();

        ExecutorService client = Executors.newFixedThreadPool(CLIENT_THREADS);
        for (Request request : plan.requests) {
            long wait = started + request.dueNanos() - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            readingsDue.addAndGet(request.readings().length);
            client.execute(() -> send(request));
        }
        client.shutdown();
        client.awaitTermination(LATE_LIMIT.toSeconds() + 300, TimeUnit.SECONDS);
        double streamEnded = seconds(lastAnswerNanos.get() == 0 ? System.nanoTime() : lastAnswerNanos.get());
        System.out.printf(Locale.ROOT, "Stream over: the last request was due at %.1f s and answered at %.1f s; waiting"
                + " for the outbox to drain (up to %d min)%n", plan.requests.get(plan.requests.size() - 1).dueNanos() / 1e9,
                streamEnded, DRAIN_LIMIT.toMinutes());
        long drainDeadline = System.nanoTime() + DRAIN_LIMIT.toNanos();
        Double drained = null;
        while (System.nanoTime() < drainDeadline) {
            OutboxGauges.Sample s = monitor.latest();
            if (s != null && s.at() > streamEnded && s.empty()) {
                drained = s.at() - streamEnded;
                break;
            }
            Thread.sleep(250);
        }
        monitor.stop();
        monitorThread.join();
        lag.refresh();
        OutboxGauges.Sample end = gauges.sample(seconds(System.nanoTime()));
        return new PopulationReport(plan, tally, gauges.series(), lag, streamEnded, drained,
                end.decisions() - decisionsBefore, end, gauges.maxRssKb(), PopulationReport.stored(jdbc, patients));
    }

    private double seconds(long nanos) {
        return (nanos - started) / 1e9;
    }

    private void send(Request request) {
        Kind kind = request.bundle() ? Kind.BUNDLE : Kind.SINGLE;
        long due = started + request.dueNanos();
        if (System.nanoTime() - due > LATE_LIMIT.toNanos()) {
            tally.late(kind);
            return;
        }
        Phase phase = request.dueNanos() < warmUpSeconds * 1e9 ? Phase.WARM_UP
                : request.inBurst() ? Phase.BURST
                : plan.bursts.isEmpty() || request.dueNanos() < plan.bursts.get(0).start() * 1e9 ? Phase.STEADY
                : Phase.AFTER_BURST;
        try {
            List<ObjectNode> readings = new ArrayList<>(request.readings().length);
            for (int i : request.readings()) {
                readings.add(IngestLoad.reading(patients.get(plan.patientOf(i)), plan.measuredAt(firstMeasured, i), i));
            }
            HttpResponse<String> r = request.bundle() ? post("", FhirJson.transaction(readings).toString())
                    : post("/Observation", readings.get(0).toString());
            long answered = System.nanoTime();
            lastAnswerNanos.accumulateAndGet(answered, Math::max);
            Instant ackAt = Instant.now();
            List<String> ids = acknowledgedIds(request, r);
            tally.acknowledged(kind, phase, (answered - due) / 1000, ids.size());
            for (int k = 0; k < ids.size(); k++) {
                if (plan.sampled[request.readings()[k]]) {
                    lag.acknowledged(ids.get(k), ackAt);
                }
            }
        } catch (Exception e) {
            lastAnswerNanos.accumulateAndGet(System.nanoTime(), Math::max);
            tally.failed(kind, e.getMessage());
        }
    }

    /** The stored observations' ids, in the request's order; throws unless every reading was acknowledged. */
    private static List<String> acknowledgedIds(Request request, HttpResponse<String> r) throws Exception {
        if (!request.bundle()) {
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("expected 201, found " + r.statusCode() + ": " + head(r.body()));
            }
            String location = r.headers().firstValue("Location").orElse("");
            return List.of(idIn(location, "Observation/").orElseThrow(() -> new IllegalStateException(
                    "expected a Location naming the Observation, found '" + location + "'")));
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("expected 200, found " + r.statusCode() + ": " + head(r.body()));
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode e : JSON.readTree(r.body()).path("entry")) {
            String status = e.path("response").path("status").asText();
            String location = e.path("response").path("location").asText();
            Optional<String> id = idIn(location, "Observation/");
            if (!status.startsWith("2") || id.isEmpty()) {
                throw new IllegalStateException("expected every entry 201 with its location, found " + status + " "
                        + location + " (the transaction is all or none)");
            }
            ids.add(id.get());
        }
        if (ids.size() != request.readings().length) {
            throw new IllegalStateException("expected " + request.readings().length + " entries, found " + ids.size());
        }
        return ids;
    }

    /** The id after {@code type} in a location such as {@code …/Observation/abc/_history/1}. */
    static Optional<String> idIn(String location, String type) {
        int at = location.indexOf(type);
        if (at < 0) {
            return Optional.empty();
        }
        String rest = location.substring(at + type.length());
        int slash = rest.indexOf('/');
        String id = slash < 0 ? rest : rest.substring(0, slash);
        return id.isEmpty() ? Optional.empty() : Optional.of(id);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(fhir + path)).timeout(Duration.ofSeconds(120))
                .header("Content-Type", ClinLoopClient.FHIR_JSON).header("Prefer", "return=minimal")
                .header("Authorization", "Bearer " + clinic.ehr())
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String head(String body) {
        return body.substring(0, Math.min(400, body.length()));
    }

    /**
     * Scrapes the outbox gauges once a second and prints a line every 10 s from the latest scrape that
     * answered (a service too busy to answer /metrics within 5 s leaves a gap, counted on the line).
     */
    private final class Monitor implements Runnable {
        private final OutboxGauges gauges;
        private volatile boolean running = true;
        private volatile OutboxGauges.Sample latest;
        private long lastDue;
        private int missed;

        Monitor(OutboxGauges gauges) {
            this.gauges = gauges;
        }

        OutboxGauges.Sample latest() {
            return latest;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            System.out.println("    t  due/s  ack/s | single p50/p99 ms (n) | bundle p50/p99 ms (n) | err | outbox pat/rd"
                    + " | oldest s | coalesc | decisions | RSS MB | decision lag so far (sampled readings)");
            double nextPrint = REPORT_EVERY_SECONDS;
            while (running) {
                try {
                    double now = seconds(System.nanoTime());
                    long wait = (long) ((Math.floor(now) + 1 - now) * 1e9);
                    TimeUnit.NANOSECONDS.sleep(wait);
                    try {
                        latest = gauges.sample(seconds(System.nanoTime()));
                    } catch (Exception e) {
                        missed++;
                    }
                    if (seconds(System.nanoTime()) >= nextPrint) {
                        lag.refresh();
                        print(seconds(System.nanoTime()));
                        nextPrint = Math.floor(seconds(System.nanoTime()) / REPORT_EVERY_SECONDS + 1) * REPORT_EVERY_SECONDS;
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.err.println("monitor: " + e.getMessage());
                }
            }
        }

        private void print(double at) {
            IngestTally.Interval i = tally.interval();
            long due = readingsDue.get();
            boolean burst = plan.bursts.stream().anyMatch(b -> b.start() < at && b.end() > at - i.seconds());
            OutboxGauges.Sample s = latest;
            String outbox = s == null ? "no /metrics answer yet"
                    : String.format(Locale.ROOT, "%6.0f/%-6.0f | %8.1f | %7.2f | %9.0f | %6s", s.patients(), s.readings(),
                    s.oldestSeconds(), s.coalescing(), s.decisions(),
                    s.rssKb() < 0 ? "n/a" : String.valueOf(s.rssKb() / 1024));
            System.out.printf(Locale.ROOT, "%5.0f %6.0f %6.0f | %s | %s | %3d | %s | %s%s%s%n", at,
                    (due - lastDue) / i.seconds(), i.readingsPerSecond(), figures(i.single()), figures(i.bundle()),
                    i.errors(), outbox, DecisionLag.describe(lag.figures()), burst ? "  (burst)" : "",
                    missed == 0 ? "" : "  (/metrics did not answer " + missed + "x; outbox from " + Math.round(at
                            - (s == null ? 0 : s.at())) + " s ago)");
            lastDue = due;
            missed = 0;
        }

        private String figures(IngestTally.Figures f) {
            return f.requests() == 0 ? String.format(Locale.ROOT, "%21s", "-")
                    : String.format(Locale.ROOT, "%6.0f/%6.0f (%5d)", f.p50Micros() / 1000.0, f.p99Micros() / 1000.0,
                    f.requests());
        }
    }
}
