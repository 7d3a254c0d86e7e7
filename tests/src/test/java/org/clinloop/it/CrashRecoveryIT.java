package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
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
 * kill -9 of a service instance while readings stream in, its outbox holds undecided ones and a
 * clinician approves tasks. A second Liberty server ({@code clinloop-crash}, the same WAR and
 * configuration, its own port, the integration tests' PostgreSQL and Keycloak) is loaded from four
 * threads while Dr Rivera approves each open task on it, killed with SIGKILL at a seeded random
 * moment (once ten more readings are acknowledged, then up to five seconds), and restarted,
 * {@value #KILLS} times. After each restart a reading measured after every quiet period flushes
 * each patient, and then: every reading answered 201 is stored and covered by
 * exactly one decision; no dose change is delivered twice and the regimen is where the dose changes
 * put it; no task is half-done (an approved task has its delivery, a delivery its approval); at
 * most one task per patient is open; the outbox is empty; the audit log verifies. The counts are
 * printed after each restart.
 */
class CrashRecoveryIT {

    static final int THREADS = 4;
    static final int PATIENTS_PER_THREAD = 2;
    static final int KILLS = 3;

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
    void killMinus9UnderReadingsAndApprovalsLosesNothingAndDoesNothingTwice() throws Exception {
        List<String> patients = new ArrayList<>();
        for (int i = 0; i < THREADS * PATIENTS_PER_THREAD; i++) {
            patients.add(ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null));
        }
        List<List<String>> groups = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            groups.add(patients.subList(t * PATIENTS_PER_THREAD, (t + 1) * PATIENTS_PER_THREAD));
        }
        ReadingStream readings = new ReadingStream(crashApi, clinic::ehr);
        Set<String> flushes = new HashSet<>();
        Random rng = new Random(20261208L);
        int approvedInRounds = 0;
        int delivered = 0;
        server.start();
        for (int kill = 1; kill <= KILLS; kill++) {
            ReadingStream.Round round = readings.stream(groups);
            Approver approver = new Approver(clinic, List.of(crashApi), patients, false);
            approver.start();
            // Some readings in, whatever the machine's load, then a random moment more.
            readings.awaitAcknowledged(10, Duration.ofMinutes(2), rng.nextInt(5000));
            server.kill();
            round.awaitDown();
            approver.stop();
            approvedInRounds += approver.approved.get();
            server.start();

            // A reading measured after every quiet period decides whatever each patient still has pending;
            // the next round's readings are measured after it.
            Instant flush = readings.start.plus(Duration.ofMinutes(readings.minutes() + 60));
            readings.skip(90);
            for (String p : patients) {
                flushes.add(expect(crashApi.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                        FhirJson.bloodPressure(p, flush, 147, 92).toString()), 201).json().get("id").asText());
            }
            for (String p : patients) {
                clinic.awaitDecisions(p);
            }
            Set<String> acknowledged = new HashSet<>(readings.acknowledged);
            int stored = 0;
            for (String id : acknowledged) {
                if (crashApi.get("/fhir/Observation/" + id, clinic.ehr()).status() == 200) {
                    stored++;
                }
            }
            acknowledged.addAll(flushes);
            Outcomes outcomes = Outcomes.read(clinic, crashApi, patients);
            List<String> breaches = outcomes.decidedExactlyOnce(acknowledged);
            JsonNode verify = expect(crashApi.get("/api/audit/verify", clinic.compliance()), 200).json();
            System.out.printf("crash recovery, after kill %d of %d: readings sent %d, acknowledged %d, stored %d; decided"
                            + " %d (by %d decisions, %d distinct readings, with %d flush readings); approvals %s (no"
                            + " answer %d); dose changes delivered %d, tasks approved %d, open %d; pending %d; audit"
                            + " intact %s (%s entries)%n", kill, KILLS, readings.sent.get(),
                    readings.acknowledged.size(), stored, outcomes.covered.size(), outcomes.decisions,
                    outcomes.distinctCovered(), flushes.size(), approver.statuses(), approver.noAnswer.get(),
                    outcomes.delivered, outcomes.approved, outcomes.openTasks, outcomes.pendingReadings,
                    verify.get("intact").asBoolean(), verify.path("entriesChecked").asText());

            assertThat(stored).as("every 201 is stored (kill %d)", kill).isEqualTo(readings.acknowledged.size());
            assertThat(breaches).as("every acknowledged reading decided exactly once (kill %d)", kill).isEmpty();
            assertThat(outcomes.problems).as("dose changes, tasks and regimen (kill %d)", kill).isEmpty();
            assertThat(outcomes.pendingReadings).as("the outbox drained (kill %d)", kill).isZero();
            assertThat(approver.bad).as("approval answers (kill %d)", kill).isEmpty();
            assertThat(verify.get("intact").asBoolean()).as(verify.toString()).isTrue();
            delivered = outcomes.delivered;
        }
        assertThat(approvedInRounds).as("tasks approved while readings streamed").isPositive();
        assertThat(delivered).as("dose changes delivered").isPositive();
    }
}
