package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.clinloop.approval.SafetyRules;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.TimerLeases;
import org.clinloop.ingest.InvalidInputException;
import org.clinloop.ingest.ObservationIntake;
import org.clinloop.recommendation.ModelRegistry;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CDI, JTA and persistence wiring that unit tests cannot reach, inside the running Liberty
 * server on PostgreSQL: the service WAR plus this class, deployed by Arquillian.
 */
@ExtendWith(ArquillianExtension.class)
class InContainerWiringIT {

    static final Actor TESTER = new Actor("it:in-container", null, Set.of("ehr-system"), null, null);

    @Deployment
    static WebArchive service() {
        File war = new File(System.getProperty("service.war"));
        return ShrinkWrap.create(ZipImporter.class, "clinloop-arquillian.war").importFrom(war).as(WebArchive.class)
                .addClass(InContainerWiringIT.class).addClass(org.clinloop.client.SystemKey.class)
                .addAsLibraries(jarOf(org.assertj.core.api.Assertions.class));
    }

    /** The jar a test-side class came from, to ship it with the deployment. */
    static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Inject
    AuditLog audit;
    @Inject
    ObservationIntake intake;
    @Inject
    ModelRegistry models;
    @Inject
    SafetyRules rules;
    @Inject
    UserTransaction tx;
    @Inject
    TimerLeases leases;

    /**
     * A periodic job runs once per period across instances: the first claim wins, a second in the
     * same period loses, and of eight instances racing for the next period exactly one wins.
     */
    @Test
    void aPeriodicJobIsClaimedOncePerPeriodAcrossInstances() throws Exception {
        String job = "it-job-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        java.time.Duration period = java.time.Duration.ofSeconds(2);
        assertThat(leases.claim(job, period)).isTrue();
        assertThat(leases.claim(job, period)).as("the same period, claimed again").isFalse();
        Thread.sleep(period.toMillis() + 100);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> racing = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            racing.add(pool.submit(() -> leases.claim(job, period)));
        }
        int won = 0;
        for (Future<Boolean> f : racing) {
            won += f.get(60, TimeUnit.SECONDS) ? 1 : 0;
        }
        pool.shutdown();
        assertThat(won).as("instances that ran the job this period").isEqualTo(1);
    }

    @Test
    void anAuditEntryCommitsWithItsDecisionOrNotAtAll() throws Exception {
        String probe = "rollback-" + java.util.UUID.randomUUID();
        tx.begin();
        audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, null, Map.of("probe", probe)));
        tx.rollback();

        List<AuditEntry> recent = audit.read(new AuditQuery(null, AuditEventType.AUDIT_READ, 1000));
        assertThat(recent).noneMatch(e -> e.detailJson().contains(probe));
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void oneTransactionsAppendsAreChainedInOrderAndNotAtAllWhenItRollsBack() throws Exception {
        String run = java.util.UUID.randomUUID().toString();
        tx.begin();
        for (int i = 0; i < 3; i++) {
            audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, "p-gather-" + run, Map.of("n", i)));
        }
        tx.commit();
        List<AuditEntry> written = new ArrayList<>(audit.read(new AuditQuery("p-gather-" + run, null, 10)));
        java.util.Collections.reverse(written);
        assertThat(written).hasSize(3);
        assertThat(written).extracting(AuditEntry::detailJson)
                .containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}");
        assertThat(written.get(1).sequence()).isGreaterThan(written.get(0).sequence());
        assertThat(written.get(2).sequence()).isGreaterThan(written.get(1).sequence());

        tx.begin();
        try {
            audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, "p-gather-failed-" + run, Map.of()));
        } finally {
            tx.rollback();
        }
        assertThat(audit.read(new AuditQuery("p-gather-failed-" + run, null, 10))).isEmpty();
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void concurrentAppendsFormOneChainWithoutGapsOrForks() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        String patient = "p-concurrent-" + java.util.UUID.randomUUID();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int n = i;
            futures.add(pool.submit(() -> audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, patient,
                    Map.of("probe", "concurrent", "n", n)))));
        }
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<Long> sequences = audit.read(new AuditQuery(patient, null, 100)).stream().map(AuditEntry::sequence).toList();
        assertThat(sequences).hasSize(80).doesNotHaveDuplicates();
        var verification = audit.verify();
        assertThat(verification.intact()).as(verification.reason()).isTrue();
    }

    @Test
    void aRefusedReadingLeavesNothingBehind() {
        Observation bad = new Observation();
        bad.setStatus(Observation.ObservationStatus.FINAL);
        bad.setSubject(new Reference("Patient/nobody-here"));
        assertThatThrownBy(() -> intake.accept(bad, TESTER)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Observation.code").hasMessageContaining("Observation.subject");

        // Other work (sweeps, other tests) may append meanwhile; nothing of this reading may be there.
        assertThat(audit.read(new AuditQuery(null, AuditEventType.OBSERVATION_ACCEPTED, TESTER.id(), null, null, 10)))
                .isEmpty();
        assertThat(audit.read(new AuditQuery("nobody-here", null, 10))).isEmpty();
    }

    /** The migration role's connections: the schema's owner, who alone could switch the triggers off. */
    @jakarta.annotation.Resource(lookup = "jdbc/clinloopMigration")
    javax.sql.DataSource dataSource;
    /** The service's own connections (the runtime role). */
    @jakarta.annotation.Resource(lookup = "jdbc/clinloop")
    javax.sql.DataSource runtimeDataSource;

    /** Runs SQL as the database owner with the append-only triggers switched off: what an intruder could do. */
    void asIntruder(String... sql) throws Exception {
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            st.execute("ALTER TABLE audit_entry DISABLE TRIGGER USER");
            for (String s : sql) {
                st.execute(s);
            }
            st.execute("ALTER TABLE audit_entry ENABLE TRIGGER USER");
        }
    }

    /** An event staged and committed, as a crash between commit and chaining would leave it. */
    long stageDirectly(java.sql.Connection c, String patient) throws Exception {
        long id;
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT nextval('audit_staged_seq')")) {
            rs.next();
            id = rs.getLong(1);
        }
        try (var ps = c.prepareStatement("INSERT INTO audit_staged (id, staged_at, event_type, actor_id, patient_id,"
                + " detail) VALUES (?, now(), 'AUDIT_READ', ?, ?, '{\"probe\":\"staged\"}')")) {
            ps.setLong(1, id);
            ps.setString(2, TESTER.id());
            ps.setString(3, patient);
            ps.executeUpdate();
        }
        return id;
    }

    @Test
    void anEventLeftStagedIsChainedBeforeTheNextReadAndOnlyOnce() throws Exception {
        String patient = "p-staged-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        try (var c = dataSource.getConnection()) {
            stageDirectly(c, patient);
        }
        List<AuditEntry> found = audit.read(new AuditQuery(patient, null, 10));
        assertThat(found).hasSize(1);
        assertThat(found.get(0).detailJson()).isEqualTo("{\"probe\":\"staged\"}");
        assertThat(audit.read(new AuditQuery(patient, null, 10))).hasSize(1);
        var verification = audit.verify();
        assertThat(verification.intact()).as(verification.reason()).isTrue();
    }

    @Test
    void postgresRefusesToRemoveOrChangeAStagedEventThatWasNotChained() throws Exception {
        try (var c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long id = stageDirectly(c, "p-staged-guard");
                try (var st = c.createStatement()) {
                    assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_staged WHERE id = " + id))
                            .hasMessageContaining("leaves only by being chained");
                }
            } finally {
                c.rollback();
            }
            try {
                long id = stageDirectly(c, "p-staged-guard");
                try (var st = c.createStatement()) {
                    assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_staged SET actor_id = 'x' WHERE id = " + id))
                            .hasMessageContaining("refused");
                }
            } finally {
                c.rollback();
            }
        }
    }

    @Test
    void postgresRefusesToChangeOrRemoveAnEntry() throws Exception {
        audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, null, Map.of("probe", "refusal")));
        // Even the owner: the triggers refuse.
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_entry SET actor_id = 'nobody' WHERE sequence_no = 1"))
                    .hasMessageContaining("append-only");
        }
        try (var c = dataSource.getConnection(); var st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM audit_entry WHERE sequence_no = 1"))
                    .hasMessageContaining("append-only");
        }
        // The service's own role: not even allowed to try (when it has a role of its own).
        try (var c = runtimeDataSource.getConnection(); var st = c.createStatement();
             var owner = dataSource.getConnection(); var os = owner.createStatement();
             var me = st.executeQuery("SELECT current_user"); var them = os.executeQuery("SELECT current_user")) {
            me.next();
            them.next();
            if (!me.getString(1).equals(them.getString(1))) {
                assertThatThrownBy(() -> st.executeUpdate("UPDATE audit_entry SET actor_id = 'nobody' WHERE sequence_no = 1"))
                        .hasMessageContaining("permission denied");
            }
        }
    }

    @Test
    void verificationNamesExactlyTheEntryAlteredInTheDatabase() throws Exception {
        String patient = "p-tamper-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, patient, Map.of("probe", "tamper", "dose", "5 mg")));
        AuditEntry victim = audit.read(new AuditQuery(patient, null, 1)).get(0);
        audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, null, Map.of("probe", "after")));
        try {
            asIntruder("UPDATE audit_entry SET detail = replace(detail, '5 mg', '50 mg') WHERE sequence_no = "
                    + victim.sequence());
            var result = audit.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.firstBroken()).isEqualTo(victim.sequence());
            assertThat(result.reason()).contains("the entry was altered");
        } finally {
            asIntruder("UPDATE audit_entry SET detail = replace(detail, '50 mg', '5 mg') WHERE sequence_no = "
                    + victim.sequence());
        }
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void aTruncatedTailIsCaughtByTheSignedTreeHead() throws Exception {
        for (int i = 0; i < 3; i++) {
            audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, null, Map.of("probe", "tail", "n", i)));
        }
        var head = audit.treeHead();
        long keep = head.size() - 2;
        List<Object[]> removed = new ArrayList<>();
        String[] previous = new String[1];
        try (var c = dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT sequence_no, format_version, recorded_at, event_type, actor_id, patient_id,"
                     + " detail, previous_hash, entry_hash FROM audit_entry WHERE sequence_no > " + keep
                     + " ORDER BY sequence_no")) {
            while (rs.next()) {
                removed.add(new Object[] {rs.getLong(1), rs.getInt(2), rs.getObject(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)});
            }
        }
        try (var c = dataSource.getConnection(); var st = c.createStatement();
             var rs = st.executeQuery("SELECT entry_hash FROM audit_entry WHERE sequence_no = " + keep)) {
            rs.next();
            previous[0] = rs.getString(1);
        }
        long lastBefore = (Long) removed.get(removed.size() - 1)[0];
        String lastHash = (String) removed.get(removed.size() - 1)[8];
        try {
            // Remove the tail and rewind the head row, so that the hash chain alone looks whole.
            asIntruder("DELETE FROM audit_entry WHERE sequence_no > " + keep,
                    "UPDATE audit_head SET last_sequence = " + keep + ", last_hash = '" + previous[0] + "'");
            var result = audit.verify();
            assertThat(result.intact()).isFalse();
            assertThat(result.reason()).contains("tree head signed at").contains("entries were removed");
        } finally {
            try (var c = dataSource.getConnection()) {
                try (var st = c.createStatement()) {
                    st.execute("ALTER TABLE audit_entry DISABLE TRIGGER USER");
                }
                try (var ps = c.prepareStatement("INSERT INTO audit_entry (sequence_no, format_version, recorded_at,"
                        + " event_type, actor_id, patient_id, detail, previous_hash, entry_hash) VALUES (?,?,?,?,?,?,?,?,?)")) {
                    for (Object[] row : removed) {
                        for (int i = 0; i < row.length; i++) {
                            ps.setObject(i + 1, row[i]);
                        }
                        ps.executeUpdate();
                    }
                }
                try (var st = c.createStatement()) {
                    st.execute("UPDATE audit_head SET last_sequence = " + lastBefore + ", last_hash = '" + lastHash + "'");
                    st.execute("ALTER TABLE audit_entry ENABLE TRIGGER USER");
                }
            }
        }
        var restored = audit.verify();
        assertThat(restored.intact()).as(restored.reason()).isTrue();
        assertThat(restored.treeHeadsChecked()).isPositive();
    }

    @Test
    void twoServiceInstancesAppendingAtOnceFormOneLog() throws Exception {
        // This deployment and the main application are separate instances (own CDI container, own
        // EntityManagerFactory, own Merkle index) sharing one PostgreSQL, like two servers would.
        String token = ehrToken();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> work = new ArrayList<>();
        String patient = "arq-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String service = "http://localhost:" + System.getProperty("clinloop.http.port",
                org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("clinloop.http.port", String.class));
        send(http, "PUT", service + "/fhir/Patient/" + patient, token, "{\"resourceType\":\"Patient\",\"id\":\""
                + patient + "\",\"generalPractitioner\":[{\"reference\":\"Practitioner/dr-rivera\"}]}");
        for (int i = 0; i < 40; i++) {
            int n = i;
            work.add(pool.submit(() -> audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, null,
                    Map.of("probe", "instance-b", "n", n)))));
            work.add(pool.submit(() -> send(http, "POST", service + "/fhir/Observation", token, observation(patient, n))));
        }
        for (Future<?> f : work) {
            f.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        var result = audit.verify();
        assertThat(result.intact()).as(result.reason()).isTrue();
        assertThat(audit.read(new AuditQuery(patient, AuditEventType.OBSERVATION_ACCEPTED, 1000))).hasSize(40);
    }

    static String observation(String patient, int n) {
        return "{\"resourceType\":\"Observation\",\"status\":\"final\",\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"vital-signs\"}]}],"
                + "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"85354-9\"}]},"
                + "\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"effectiveDateTime\":\""
                + java.time.Instant.now().minusSeconds(3600 + n).truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + "\",\"component\":[{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8480-6\"}]},"
                + "\"valueQuantity\":{\"value\":140,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}},"
                + "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8462-4\"}]},"
                + "\"valueQuantity\":{\"value\":90,\"system\":\"http://unitsofmeasure.org\",\"code\":\"mm[Hg]\"}}]}";
    }

    static Object send(java.net.http.HttpClient http, String method, String url, String token, String body) throws Exception {
        var response = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/fhir+json")
                .method(method, java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + ": " + response.statusCode() + " " + response.body());
        }
        return null;
    }

    /**
     * The EHR's token (private_key_jwt, the scopes this test needs): the server inherited the
     * generated key's file and id from ./clinloop test.
     */
    static String ehrToken() throws Exception {
        String keycloak = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("keycloak.url", String.class);
        String tokenUrl = keycloak + "/realms/clinloop/protocol/openid-connect/token";
        org.clinloop.client.SystemKey key = org.clinloop.client.SystemKey.fromPem("clinloop-ehr",
                System.getenv("CLINLOOP_EHR_KEY_ID"), java.nio.file.Path.of(System.getenv("CLINLOOP_EHR_KEY_FILE")));
        String form = "grant_type=client_credentials&client_id=clinloop-ehr"
                + "&client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer"
                + "&client_assertion=" + key.assertion(tokenUrl, 300)
                + "&scope=" + java.net.URLEncoder.encode("system/Patient.u system/Observation.c",
                java.nio.charset.StandardCharsets.UTF_8);
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(form)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        var matcher = java.util.regex.Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
        if (!matcher.find()) {
            throw new IllegalStateException("No EHR token: " + response.statusCode() + " " + response.body());
        }
        return matcher.group(1);
    }

    @Test
    void theRegistryServesAModelAndTheRulesAreCompiledOnce() {
        assertThat(models.versions()).isNotEmpty();
        assertThat(rules.version()).startsWith("titration-safety@");
    }
}
