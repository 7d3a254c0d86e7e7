package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The decision pipeline over HTTP against the running service on PostgreSQL (quiet period 15
 * minutes, the default): readings are acknowledged once stored, safety-checked and queued; one
 * decision covers every pending reading of a patient; at most one task is open per patient; a
 * newer decision supersedes the open task and a dose change makes it stale, and approving either
 * is a 409 that names the current task; approval re-runs the rules.
 */
class DecisionPipelineIT {

    static Clinic clinic;
    static ClinLoopClient api;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
    }

    @Test
    void concurrentReadingsOfOnePatientLeaveOneOpenTaskAndANewerDecisionSupersedesIt() throws Exception {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        Instant base = Instant.now().minus(Duration.ofMinutes(90)).truncatedTo(ChronoUnit.SECONDS);
        int n = 12;
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<ClinLoopClient.Reply>> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Instant at = base.plus(Duration.ofMinutes(i)); // twelve readings within one quiet period
            sent.add(pool.submit(() -> api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                    FhirJson.bloodPressure(patient, at, 146, 91).toString())));
        }
        for (Future<ClinLoopClient.Reply> f : sent) {
            expect(f.get(), 201);
        }
        pool.shutdown();
        clinic.awaitDecisions(patient);

        List<JsonNode> open = openTasks(patient);
        assertThat(open).as("one open proposal, however many readings").hasSize(1);
        JsonNode status = decisions(patient);
        assertThat(proposalsOf(patient)).as("decisions for %d readings", n).isLessThan(n);
        assertThat(status.get("pendingReadings").asInt() + coveredSoFar(patient)).as("every reading decided or pending")
                .isEqualTo(n);

        // A reading measured after the quiet period is decided at once, with everything still pending.
        expect(clinic.postReading(patient, base.plus(Duration.ofMinutes(40)), 147, 92), 201);
        assertThat(decisions(patient).get("pendingReadings").asInt()).isZero();
        assertThat(coveredSoFar(patient)).isEqualTo(n + 1);
        List<JsonNode> nowOpen = openTasks(patient);
        assertThat(nowOpen).hasSize(1);
        String old = open.get(0).get("id").asText();
        String current = nowOpen.get(0).get("id").asText();
        assertThat(current).isNotEqualTo(old);

        JsonNode superseded = expect(api.get("/api/tasks/" + old, clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(superseded.get("status").asText()).isEqualTo("CANCELLED");
        assertThat(superseded.get("reasonCode").asText()).isEqualTo("superseded");
        assertThat(superseded.get("successorTask").asText()).isEqualTo(current);
        ClinLoopClient.Reply conflict = api.post("/api/tasks/" + old + "/approve", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.json().get("current").get("id").asText()).isEqualTo(current);
        assertThat(conflict.body()).contains("superseded").contains(current);
        assertThat(ItEnvironment.lastEntry(patient, "TASK_CANCELLED").get("successorTask").asText()).isEqualTo(current);
        JsonNode fhirTask = expect(api.get("/fhir/Task?patient=" + patient + "&status=cancelled",
                clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(fhirTask.get("total").asInt()).isPositive();
    }

    @Test
    void aChangeOfDoseMakesTheOpenTaskStale() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(3), 146, 91), 201);
        String task = openTasks(patient).get(0).get("id").asText();

        clinic.setRegimen(patient, Clinic.RIVERA, 1);

        ClinLoopClient.Reply conflict = api.post("/api/tasks/" + task + "/approve", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{}");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.body()).contains("stale");
        assertThat(openTasks(patient)).isEmpty();
        assertThat(expect(api.get("/fhir/MedicationRequest?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("total").asInt()).as("nothing delivered").isZero();
    }

    @Test
    void approvalIsRefusedWhenTheEhrReportsAContraindicationAfterTheProposal() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(3), 146, 91), 201);
        JsonNode task = openTasks(patient).get(0);
        assertThat(task.get("toStep").asInt()).isGreaterThan(task.get("fromStep").asInt());

        expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON, FhirJson.quantity(patient,
                ItEnvironment.hoursAgo(1), "2823-3", "laboratory", 6.3, "mmol/L").toString()), 201);

        ClinLoopClient.Reply refused = api.post("/api/tasks/" + task.get("id").asText() + "/approve",
                clinic.clinician(Clinic.RIVERA), ClinLoopClient.JSON_TYPE, "{}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()).contains("Potassium too high for an increase");
        assertThat(expect(api.get("/api/tasks/" + task.get("id").asText(), clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("status").asText()).as("still open: the clinician may reject or modify it").isEqualTo("REQUESTED");
        assertThat(expect(api.get("/fhir/MedicationRequest?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("total").asInt()).isZero();
    }

    @Test
    void aCrisisIsAlertedInItsOwnRequestWhileTheDecisionWaits() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(clinic.postReading(patient, Instant.now().minus(Duration.ofMinutes(10)), 150, 92), 201);
        int proposals = proposalsOf(patient);

        ClinLoopClient.Reply first = api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, Instant.now().minus(Duration.ofMinutes(6)), 186, 121).toString(),
                java.util.Map.of("Prefer", "return=OperationOutcome"));
        expect(first, 201);
        assertThat(first.body()).as("the app is told to measure again").contains("measure again");
        expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, Instant.now().minus(Duration.ofMinutes(1)), 188, 122).toString()), 201);

        // No waiting: the alert was raised by the confirming reading's own request.
        JsonNode issues = expect(api.get("/fhir/DetectedIssue?patient=" + patient, clinic.clinician(Clinic.RIVERA)),
                200).json();
        assertThat(issues.toString()).contains("hypertensive-crisis");
        JsonNode status = decisions(patient);
        assertThat(status.get("pendingReadings").asInt()).as("the decision waits for the quiet period").isEqualTo(2);
        assertThat(Instant.parse(status.get("dueAt").asText())).isAfter(Instant.now());
        assertThat(proposalsOf(patient)).isEqualTo(proposals);
    }

    @Test
    void anUnconfirmedCrisisIsAlertedWhenTheWindowPassesInSilence() throws InterruptedException {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        ClinLoopClient.Reply first = api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, Instant.now().minus(Duration.ofMinutes(1)), 184, 112).toString(),
                java.util.Map.of("Prefer", "return=OperationOutcome"));
        expect(first, 201);
        assertThat(first.body()).contains("measure again");
        assertThat(alertsOf(patient)).as("one crisis reading is not yet an alert").doesNotContain("hypertensive-crisis");

        // The test server gives 20 s to measure again (clinloop.crisis.confirm-seconds); sweeps run every 3 s.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!alertsOf(patient).contains("hypertensive-crisis-unconfirmed") && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
        }
        assertThat(alertsOf(patient)).contains("hypertensive-crisis-unconfirmed");
    }

    @Test
    void aReadingBelowTheRangeEndsTheWatchOnACrisis() throws InterruptedException {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON, FhirJson.bloodPressure(patient,
                Instant.now().minus(Duration.ofMinutes(6)), 183, 110).toString()), 201);
        expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON, FhirJson.bloodPressure(patient,
                Instant.now().minus(Duration.ofMinutes(1)), 162, 98).toString()), 201);
        Thread.sleep(30_000); // past the 20 s window and several sweeps
        assertThat(alertsOf(patient)).doesNotContain("hypertensive-crisis");
    }

    private static String alertsOf(String patient) {
        return expect(api.get("/fhir/DetectedIssue?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).body();
    }

    @Test
    void theOutboxIsObservableInMetricsAndReadiness() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 146, 91), 201);
        String metrics = expect(api.get("/metrics?scope=application", null, "text/plain"), 200).body();
        assertThat(metrics).contains("clinloop_decisions_outbox_patients", "clinloop_decisions_outbox_readings",
                "clinloop_decisions_oldest_pending_seconds", "clinloop_decisions_coalescing_ratio",
                "clinloop_decisions_total", "clinloop_decisions_failures_total");
        JsonNode ready = expect(api.get("/health/ready", null), 200).json();
        assertThat(ready.toString()).contains("decisionsPendingPatients").contains("\"UP\"");
    }

    @Test
    void decisionStatusIsDeniedByDefault() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        assertThat(api.get("/api/patients/" + patient + "/decisions", null).status()).isEqualTo(401);
        assertThat(api.get("/api/patients/" + patient + "/decisions", clinic.clinician(Clinic.OKAFOR)).status())
                .isEqualTo(403);
        assertThat(api.get("/api/patients/" + patient + "/decisions", clinic.patient(Clinic.JONES)).status())
                .isEqualTo(403);
        assertThat(api.get("/api/patients/" + patient + "/decisions", clinic.ehr()).status()).isEqualTo(403);
        expect(api.get("/api/patients/" + patient + "/decisions", clinic.clinician(Clinic.RIVERA)), 200);
    }

    private static List<JsonNode> openTasks(String patient) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode t : expect(api.get("/api/tasks?status=REQUESTED&limit=500", clinic.clinician(Clinic.RIVERA)), 200)
                .json()) {
            if (patient.equals(t.get("patientId").asText())) {
                out.add(t);
            }
        }
        return out;
    }

    private static JsonNode decisions(String patient) {
        return expect(api.get("/api/patients/" + patient + "/decisions", clinic.compliance()), 200).json();
    }

    private static int proposalsOf(String patient) {
        return expect(api.get("/api/audit/entries?patient=" + patient + "&type=PROPOSAL_MADE&limit=100",
                clinic.compliance()), 200).json().size();
    }

    /** Readings covered by the patient's recorded decisions (PROPOSAL_MADE and PROPOSAL_SKIPPED). */
    private static int coveredSoFar(String patient) {
        int covered = 0;
        for (String type : List.of("PROPOSAL_MADE", "PROPOSAL_SKIPPED")) {
            for (JsonNode e : expect(api.get("/api/audit/entries?patient=" + patient + "&type=" + type + "&limit=100",
                    clinic.compliance()), 200).json()) {
                try {
                    covered += new com.fasterxml.jackson.databind.ObjectMapper().readTree(e.get("detailJson").asText())
                            .path("covered").size();
                } catch (java.io.IOException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        return covered;
    }
}
