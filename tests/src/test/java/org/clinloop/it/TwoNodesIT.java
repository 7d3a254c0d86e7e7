package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 17, two real nodes: the suite's Liberty server and a second Liberty server process
 * ({@code clinloop-node2}, the same WAR and configuration on another loopback port), sharing the
 * suite's PostgreSQL and Keycloak. Readings, approvals and audit appends go to both. Proved here:
 * a task approved on both nodes at once is approved once (the other node answers a clean 409); no
 * reading is decided twice and every acknowledged one is decided; no dose change is delivered twice;
 * one audit log (it verifies on both nodes, and both give the same root for the same size); the same
 * answers from either node; each periodic job (workflow sweeps, tree-head signing) runs once per
 * period across both, and a crisis nobody confirmed is alerted once. Then the second node is killed
 * with SIGKILL under load: the first drains the outbox, including what the dead node had claimed,
 * and takes over the timers; nothing acknowledged is lost. The second server starts once for the
 * class; the failover test runs last because it leaves that server dead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {

    static final int THREADS = 4;
    static final int PATIENTS_PER_THREAD = 2;
    /** The suite's bootstrap properties, which the second server copies. */
    static final Duration SWEEP_PERIOD = Duration.ofSeconds(3);
    static final Duration TREE_HEAD_PERIOD = Duration.ofSeconds(5);
    static final Duration CRISIS_CONFIRM = Duration.ofSeconds(20);

    static Clinic clinic;
    static SecondServer node2;
    static ClinLoopClient one;
    static ClinLoopClient two;

    @BeforeAll
    static void secondNode() throws Exception {
        clinic = ItEnvironment.clinic();
        node2 = SecondServer.create("clinloop-node2", Integer.parseInt(System.getProperty("clinloop.it.http.port")) + 40,
                Map.of());
        node2.start();
        one = clinic.api();
        two = node2.api();
    }

    @AfterAll
    static void stopSecondNode() throws Exception {
        if (node2 != null) {
            node2.stop();
        }
    }

    /**
     * A client that asks for HTTP/2 (Java's HttpClient does, by default, with an h2c upgrade) is
     * answered in HTTP/1.1: Liberty's HTTP/2 writes can hang a connection for good (see server.xml).
     */
    @Test
    @Order(0)
    void bothNodesAnswerHttp11ToAClientThatAsksForHttp2() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_2).build();
        for (ClinLoopClient node : List.of(one, two)) {
            for (int i = 0; i < 3; i++) { // the upgrade is asked on a connection's first request
                java.net.http.HttpResponse<String> r = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(node.baseUrl() + "/fhir/metadata")).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.version()).as("protocol of %s", node.baseUrl())
                        .isEqualTo(java.net.http.HttpClient.Version.HTTP_1_1);
            }
        }
    }

    @Test
    @Order(1)
    void anApprovalRacedOnBothNodesWinsOnceAndBothNodesAnswerAlike() throws Exception {
        List<String> patients = new ArrayList<>();
        Map<String, String> tasks = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            String p = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
            ClinLoopClient node = i % 2 == 0 ? one : two;
            expect(node.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                    FhirJson.bloodPressure(p, ItEnvironment.hoursAgo(3), 146, 91).toString()), 201);
            patients.add(p);
        }
        for (String p : patients) {
            clinic.awaitDecisions(p);
            JsonNode open = expect(one.get("/fhir/Task?patient=" + p + "&status=requested",
                    clinic.clinician(Clinic.RIVERA)), 200).json();
            assertThat(open.path("total").asInt()).as("one open task for %s", p).isEqualTo(1);
            tasks.put(p, open.path("entry").path(0).path("resource").path("id").asText());
        }

        Approver approver = new Approver(clinic, List.of(one, two), patients, true);
        for (String p : patients) {
            approver.race(tasks.get(p));
        }
        Outcomes outcomes = Outcomes.read(clinic, two, patients);
        System.out.printf("two nodes, racing approvals: %d tasks, each approved on both nodes at once: won %d, clean 409"
                        + " %d, races won exactly once %d; answers %s; dose changes delivered %d%n", tasks.size(),
                approver.approved.get(), approver.conflicts.get(), approver.racesWonOnce.get(), approver.statuses(),
                outcomes.delivered);

        assertThat(approver.bad).isEmpty();
        assertThat(approver.racesWonOnce.get()).as("each race: one 200, one clean 409").isEqualTo(tasks.size());
        assertThat(outcomes.problems).isEmpty();
        assertThat(outcomes.delivered).as("one dose change per approved task").isEqualTo(tasks.size());

        // Either node answers the same reads alike.
        String rivera = clinic.clinician(Clinic.RIVERA);
        for (String p : patients) {
            for (String path : List.of("/api/tasks/" + tasks.get(p), "/api/patients/" + p + "/regimen",
                    "/api/patients/" + p + "/adjustments", "/api/patients/" + p + "/decisions",
                    "/fhir/Patient/" + p)) {
                assertThat(comparable(expect(two.get(path, rivera), 200).json()))
                        .as("GET %s on both nodes", path)
                        .isEqualTo(comparable(expect(one.get(path, rivera), 200).json()));
            }
            assertThat(resources(expect(two.get("/fhir/Task?patient=" + p, rivera), 200).json()))
                    .as("FHIR Task search on both nodes")
                    .isEqualTo(resources(expect(one.get("/fhir/Task?patient=" + p, rivera), 200).json()));
        }
        assertOneAuditLog();
    }

    @Test
    @Order(2)
    void underLoadOnBothNodesNothingIsDoneTwiceAndTheSurvivorOfAKillTakesOver() throws Exception {
        List<String> patients = new ArrayList<>();
        List<List<String>> groups = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            List<String> group = new ArrayList<>();
            for (int i = 0; i < PATIENTS_PER_THREAD; i++) {
                group.add(ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null));
            }
            groups.add(group);
            patients.addAll(group);
        }
        // A crisis reading on each node that nobody confirms: the sweep that finds it due alerts it, once.
        List<String> crises = new ArrayList<>();
        for (ClinLoopClient node : List.of(one, two)) {
            String p = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
            expect(node.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                    FhirJson.bloodPressure(p, Instant.now().minusSeconds(30), 186, 124).toString()), 201);
            crises.add(p);
        }
        long pidTwo = node2.pid();

        LeaseWatch leases = new LeaseWatch();
        leases.start();
        ReadingStream readings = new ReadingStream(List.of(one, two), clinic::ehr);
        Approver approver = new Approver(clinic, List.of(one, two), patients, true);
        AuditAppender auditor = new AuditAppender(List.of(one, two));
        Instant loadStart = Instant.now();
        ReadingStream.Round round = readings.stream(groups);
        approver.start();
        auditor.start();

        // Both nodes up for longer than a crisis may wait: every timer fires on both several times.
        Thread.sleep(CRISIS_CONFIRM.plus(SWEEP_PERIOD.multipliedBy(2)).toMillis());
        Instant bothUntil = Instant.now();
        node2.kill();
        Instant killed = Instant.now();
        Set<String> pendingAtKill = pendingReadings(patients);
        Thread.sleep(12_000); // the first node alone, under the same load (what is sent to the dead one fails)
        round.awaitDown();
        approver.stop();
        auditor.stop();

        // A reading measured after every quiet period decides whatever each patient still has pending.
        Instant flush = readings.start.plus(Duration.ofMinutes(readings.minutes() + 60));
        Set<String> acknowledged = new HashSet<>(readings.acknowledged);
        Instant flushed = Instant.now();
        for (String p : patients) {
            acknowledged.add(expect(one.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                    FhirJson.bloodPressure(p, flush, 147, 92).toString()), 201).json().get("id").asText());
        }
        Instant drained = awaitDrained(patients, Duration.ofMinutes(1));
        leases.stop();

        int stored = 0;
        for (String id : acknowledged) {
            if (one.get("/fhir/Observation/" + id, clinic.ehr()).status() == 200) {
                stored++;
            }
        }
        Outcomes outcomes = Outcomes.read(clinic, one, patients);
        List<String> decisionBreaches = outcomes.decidedExactlyOnce(acknowledged);
        List<String> pendingNotDecidedOnce = new ArrayList<>();
        Map<String, Integer> coverage = new HashMap<>();
        outcomes.covered.forEach(id -> coverage.merge(id, 1, Integer::sum));
        for (String id : pendingAtKill) {
            if (coverage.getOrDefault(id, 0) != 1) {
                pendingNotDecidedOnce.add(id + " covered " + coverage.getOrDefault(id, 0) + " times");
            }
        }
        Map<String, Integer> unconfirmed = new TreeMap<>();
        for (String p : crises) {
            int n = 0;
            for (String type : List.of("ALERT_RAISED", "ALERT_REPEATED")) {
                for (JsonNode e : expect(one.get("/api/audit/entries?patient=" + p + "&type=" + type + "&limit=100",
                        clinic.compliance()), 200).json()) {
                    if (e.get("detailJson").asText().contains("hypertensive-crisis-unconfirmed")) {
                        n++;
                    }
                }
            }
            unconfirmed.put(p, n);
        }
        List<Instant> heads = treeHeadsBetween(loadStart, bothUntil);
        Duration closestHeads = closest(heads);

        System.out.printf("two nodes under load: readings sent %d, acknowledged %d (with %d flush readings), stored %d;"
                        + " decisions %d covering %d readings (%d distinct); pending when node 2 was killed %d; approvals"
                        + " %s (races won exactly once %d, no answer %d); audit verifications %s; dose changes"
                        + " delivered %d; outbox drained %.1f s after the flush (%.1f s after the kill); unconfirmed"
                        + " crisis alerts per patient %s; tree heads signed while both ran %d in %.0f s, closest two %.1f s"
                        + " apart; timer claims while both ran %s; first claim by node 1 after the kill %s%n",
                readings.sent.get(), acknowledged.size(), patients.size(), stored, outcomes.decisions,
                outcomes.covered.size(), outcomes.distinctCovered(), pendingAtKill.size(), approver.statuses(),
                approver.racesWonOnce.get(), approver.noAnswer.get(), auditor.answers(), outcomes.delivered,
                seconds(flushed, drained), seconds(killed, drained),
                unconfirmed, heads.size(), seconds(loadStart, bothUntil), closestHeads.toMillis() / 1000.0,
                leases.claimsBetween(loadStart, bothUntil, pidTwo), leases.takeover(killed, pidTwo));

        assertThat(stored).as("every 201 is stored").isEqualTo(acknowledged.size());
        assertThat(decisionBreaches).as("every acknowledged reading decided exactly once").isEmpty();
        assertThat(pendingNotDecidedOnce).as("readings pending at the kill, decided once by the survivor").isEmpty();
        assertThat(outcomes.problems).isEmpty();
        assertThat(outcomes.pendingReadings).as("the outbox drained").isZero();
        assertThat(approver.bad).isEmpty();
        assertThat(approver.approved.get()).as("approvals made on the two nodes").isPositive();
        assertThat(auditor.bad).as("audit verification on either node").isEmpty();
        assertThat(unconfirmed.values()).as("a crisis nobody confirmed, alerted once across both nodes")
                .containsOnly(1);
        // Each node's schedule fires every period; without the lease the two would sign about twice as many.
        assertThat(heads).as("tree heads signed by the schedule while both nodes ran").isNotEmpty();
        assertThat(heads.size()).as("tree heads signed while both nodes ran, once per period at most")
                .isLessThanOrEqualTo((int) (Duration.between(loadStart, bothUntil).toMillis()
                        / (TREE_HEAD_PERIOD.toMillis() * 9 / 10)) + 1);
        assertThat(leases.duplicateClaims()).as("a job claimed twice within 90% of its period").isEmpty();
        Map<String, Duration> takeover = leases.takeover(killed, pidTwo);
        assertThat(takeover).as("jobs the first node ran after the kill").containsKeys("workflow-sweeps",
                "tree-head-signing");
        assertThat(takeover.get("workflow-sweeps")).isLessThanOrEqualTo(SWEEP_PERIOD.multipliedBy(2).plusSeconds(2));
        assertThat(takeover.get("tree-head-signing")).isLessThanOrEqualTo(TREE_HEAD_PERIOD.multipliedBy(2).plusSeconds(2));
        assertOneAuditLog();
    }

    /** One log: it verifies, and both nodes give the same root for the same tree size and the same signing key. */
    private static void assertOneAuditLog() {
        List<ClinLoopClient> up = node2Alive() ? List.of(one, two) : List.of(one);
        for (ClinLoopClient node : up) {
            JsonNode v = expect(node.get("/api/audit/verify", clinic.compliance()), 200).json();
            assertThat(v.get("intact").asBoolean()).as("verification on %s: %s", node.baseUrl(), v).isTrue();
        }
        if (up.size() < 2) {
            return;
        }
        JsonNode headOne = expect(one.get("/api/audit/tree-head", clinic.compliance()), 200).json();
        JsonNode headTwo = expect(two.get("/api/audit/tree-head", clinic.compliance()), 200).json();
        for (JsonNode head : List.of(headOne, headTwo)) {
            long size = head.get("size").asLong();
            for (ClinLoopClient node : up) {
                JsonNode proof = expect(node.get("/api/audit/proof/inclusion?sequence=1&size=" + size,
                        clinic.compliance()), 200).json();
                assertThat(proof.get("rootHash").asText()).as("root of size %d on %s", size, node.baseUrl())
                        .isEqualTo(head.get("rootHash").asText());
            }
        }
        assertThat(expect(two.get("/api/audit/public-key", null), 200).json())
                .isEqualTo(expect(one.get("/api/audit/public-key", null), 200).json());
        // The heads the first node lists, as the second lists them a moment later (when one more may be signed).
        List<JsonNode> headsOne = new ArrayList<>();
        expect(one.get("/api/audit/tree-heads?limit=20", clinic.compliance()), 200).json().forEach(headsOne::add);
        List<JsonNode> headsTwo = new ArrayList<>();
        expect(two.get("/api/audit/tree-heads?limit=40", clinic.compliance()), 200).json().forEach(headsTwo::add);
        headsTwo.removeIf(h -> h.get("size").asLong() > headsOne.get(0).get("size").asLong()
                || h.get("size").asLong() < headsOne.get(headsOne.size() - 1).get("size").asLong());
        assertThat(headsTwo).as("the signed tree heads, on either node").isEqualTo(headsOne);
    }

    private static boolean node2Alive() {
        try {
            return two.get("/health/ready", null).status() == 200;
        } catch (IllegalStateException e) {
            return false; // killed
        }
    }

    /** A read's answer without what names the node that answered (links carry its base URL). */
    private static JsonNode comparable(JsonNode answer) {
        JsonNode copy = answer.deepCopy();
        if (copy instanceof ObjectNode o) {
            o.remove("link");
            o.remove("meta");
        }
        return copy;
    }

    private static List<JsonNode> resources(JsonNode bundle) {
        List<JsonNode> out = new ArrayList<>();
        bundle.path("entry").forEach(e -> out.add(e.path("resource")));
        return out;
    }

    private static Set<String> pendingReadings(List<String> patients) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                "SELECT observation_id FROM pending_reading WHERE patient_id = ANY (?)")) {
            s.setArray(1, c.createArrayOf("text", patients.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
        }
        return out;
    }

    private static Instant awaitDrained(List<String> patients, Duration limit) throws InterruptedException {
        Instant until = Instant.now().plus(limit);
        while (Instant.now().isBefore(until)) {
            int pending = 0;
            for (String p : patients) {
                pending += expect(one.get("/api/patients/" + p + "/decisions", clinic.compliance()), 200).json()
                        .path("pendingReadings").asInt();
            }
            if (pending == 0) {
                return Instant.now();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Expected the patients' outbox drained by the first node within " + limit);
    }

    private static List<Instant> treeHeadsBetween(Instant from, Instant to) {
        List<Instant> out = new ArrayList<>();
        for (JsonNode h : expect(one.get("/api/audit/tree-heads?limit=200", clinic.compliance()), 200).json()) {
            Instant at = Instant.parse(h.get("timestamp").asText());
            if (!at.isBefore(from) && !at.isAfter(to)) {
                out.add(at);
            }
        }
        Collections.sort(out);
        return out;
    }

    private static Duration closest(List<Instant> times) {
        Duration min = Duration.ofDays(1);
        for (int i = 1; i < times.size(); i++) {
            Duration d = Duration.between(times.get(i - 1), times.get(i));
            min = d.compareTo(min) < 0 ? d : min;
        }
        return min;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(System.getProperty("clinloop.db.url"), System.getProperty("clinloop.db.user"),
                System.getProperty("clinloop.db.password"));
    }

    /** The compliance officer verifying the log on each node in turn (each verification is itself appended). */
    static final class AuditAppender {
        final List<String> bad = Collections.synchronizedList(new ArrayList<>());
        private final Map<String, AtomicInteger> answers = Collections.synchronizedMap(new TreeMap<>());
        private final List<ClinLoopClient> nodes;
        private final AtomicBoolean stopped = new AtomicBoolean();
        private Thread thread;

        AuditAppender(List<ClinLoopClient> nodes) {
            this.nodes = nodes;
        }

        void start() {
            thread = new Thread(() -> {
                int turn = 0;
                while (!stopped.get()) {
                    ClinLoopClient node = nodes.get(turn++ % nodes.size());
                    String key = node == one ? "node 1" : "node 2";
                    try {
                        ClinLoopClient.Reply r = node.get("/api/audit/verify", clinic.compliance());
                        if (r.status() != 200 || !r.json().path("intact").asBoolean()) {
                            bad.add(key + ": " + r);
                        }
                        answers.computeIfAbsent(key + " " + r.status(), k -> new AtomicInteger()).incrementAndGet();
                    } catch (IllegalStateException e) {
                        answers.computeIfAbsent(key + " no answer", k -> new AtomicInteger()).incrementAndGet();
                    }
                    try {
                        Thread.sleep(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "auditor");
            thread.start();
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            thread.join(60_000);
        }

        Map<String, AtomicInteger> answers() {
            return new TreeMap<>(answers);
        }
    }

    /**
     * Every claim of a timer period, as the {@code timer_lease} table shows it: polled every 100 ms,
     * a changed {@code ran_at} is one claim, and {@code ran_by} says which instance ({@code pid@host}).
     */
    static final class LeaseWatch {
        record Claim(String job, Instant at, long pid) {
        }

        private final List<Claim> claims = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean stopped = new AtomicBoolean();
        private Thread thread;

        void start() {
            thread = new Thread(() -> {
                Map<String, Instant> last = new HashMap<>();
                try (Connection c = connect(); PreparedStatement s = c.prepareStatement(
                        "SELECT job, ran_at, ran_by FROM timer_lease")) {
                    while (!stopped.get()) {
                        try (ResultSet r = s.executeQuery()) {
                            while (r.next()) {
                                String job = r.getString(1);
                                Instant at = r.getTimestamp(2).toInstant();
                                if (!at.equals(last.put(job, at))) {
                                    String by = r.getString(3);
                                    claims.add(new Claim(job, at, Long.parseLong(by.substring(0, by.indexOf('@')))));
                                }
                            }
                        }
                        Thread.sleep(100);
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "lease-watch");
            thread.start();
        }

        void stop() throws InterruptedException {
            stopped.set(true);
            thread.join(10_000);
        }

        /** Per job, how many periods each node claimed between {@code from} and {@code to}. */
        Map<String, String> claimsBetween(Instant from, Instant to, long pidTwo) {
            Map<String, int[]> n = new TreeMap<>();
            synchronized (claims) {
                for (Claim c : claims) {
                    if (!c.at().isBefore(from) && !c.at().isAfter(to)) {
                        n.computeIfAbsent(c.job(), j -> new int[2])[c.pid() == pidTwo ? 1 : 0]++;
                    }
                }
            }
            Map<String, String> out = new TreeMap<>();
            n.forEach((job, counts) -> out.put(job, "node 1 " + counts[0] + ", node 2 " + counts[1]));
            return out;
        }

        /** Claims of one job closer together than 90% of its period (not seen: a missed poll hides at most one). */
        List<String> duplicateClaims() {
            List<String> out = new ArrayList<>();
            Map<String, Claim> last = new HashMap<>();
            Map<String, Duration> periods = Map.of("workflow-sweeps", SWEEP_PERIOD, "tree-head-signing", TREE_HEAD_PERIOD);
            synchronized (claims) {
                for (Claim c : claims) {
                    Claim before = last.put(c.job(), c);
                    Duration period = periods.get(c.job());
                    if (before != null && period != null
                            && Duration.between(before.at(), c.at()).compareTo(period.multipliedBy(9).dividedBy(10)) < 0) {
                        out.add(c.job() + " claimed at " + before.at() + " and again at " + c.at());
                    }
                }
            }
            return out;
        }

        /** Per job, how long after {@code killed} the first node (any instance but {@code pidTwo}) first claimed it. */
        Map<String, Duration> takeover(Instant killed, long pidTwo) {
            Map<String, Duration> out = new TreeMap<>();
            synchronized (claims) {
                for (Claim c : claims) {
                    if (c.at().isAfter(killed) && c.pid() != pidTwo) {
                        out.putIfAbsent(c.job(), Duration.between(killed, c.at()));
                    }
                }
            }
            return out;
        }
    }
}
