package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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

    static Clinic clinic;
    static SecondServer server;
    static ClinLoopClient crashApi;

    @BeforeAll
    static void secondServer() throws IOException {
        clinic = ItEnvironment.clinic();
        server = SecondServer.create("clinloop-crash", Integer.parseInt(System.getProperty("clinloop.it.http.port")) + 10,
                Map.of());
        crashApi = server.api();
    }

    @AfterAll
    static void stopSecondServer() throws Exception {
        server.stop();
    }

    @Test
    void everyAcknowledgedReadingSurvivesKillMinus9AndIsDecidedExactlyOnce() throws Exception {
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < THREADS * PATIENTS_PER_THREAD; i++) {
            patients.add(ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null));
        }
        List<List<String>> groups = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            groups.add(patients.subList(t * PATIENTS_PER_THREAD, (t + 1) * PATIENTS_PER_THREAD));
        }
        ReadingStream readings = new ReadingStream(crashApi, clinic::ehr);
        Set<String> acknowledged = readings.acknowledged;
        Random rng = new Random(20261207L);
        for (int kill = 0; kill < KILLS; kill++) {
            server.start();
            ReadingStream.Round round = readings.stream(groups);
            Thread.sleep(3000 + rng.nextInt(5000));
            server.kill();
            round.awaitDown();
            System.out.printf("kill %d at %d readings sent, %d acknowledged%n", kill + 1, readings.sent.get(),
                    acknowledged.size());
        }
        server.start();

        int stored = 0;
        for (String id : acknowledged) {
            if (crashApi.get("/fhir/Observation/" + id, clinic.ehr()).status() == 200) {
                stored++;
            }
        }
        // A reading measured after every quiet period decides whatever each patient still has pending.
        Instant flush = readings.start.plus(Duration.ofMinutes(readings.minutes() + 60));
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
                readings.sent.get(), acknowledged.size() - patients.size(), stored, patients.size(), covered.size(),
                distinct.size(), distinct.size() - acknowledged.size(), openTasks, verify.get("intact").asBoolean());

        assertThat(stored).as("every 201 is stored").isEqualTo(acknowledged.size() - patients.size());
        assertThat(covered).as("no reading decided twice").hasSameSizeAs(distinct);
        assertThat(distinct).as("every acknowledged reading decided").containsAll(acknowledged);
        assertThat(openTasks).as("at most one open task per patient").isLessThanOrEqualTo(1);
        assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
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
}
