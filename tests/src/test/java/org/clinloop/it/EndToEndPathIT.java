package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One wearable reading per tier, over HTTP, against the running Liberty server on PostgreSQL
 * with tokens from the real Keycloak: AUTO, NEEDS_APPROVAL then approved, BLOCKED, and a crisis
 * alert; the audit chain verifies afterwards.
 */
class EndToEndPathIT {

    static Clinic clinic;
    static ClinLoopClient api;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
    }

    @AfterAll
    static void theAuditChainVerifiesAfterThePath() {
        JsonNode v = expect(api.get("/api/audit/verify", clinic.compliance()), 200).json();
        assertThat(v.get("intact").asBoolean()).as(v.toString()).isTrue();
        assertThat(v.get("entriesChecked").asLong()).isGreaterThan(10);
    }

    @Test
    void afterEarningAutonomyAReadingInsideTheBoundsReachesThePatientAppOnItsOwn() {
        clinic.registerPatient(Clinic.JONES_ID, "Jones", "Pat", "female", "1961-04-02", "dr-rivera");
        clinic.setRegimen(Clinic.JONES_ID, Clinic.RIVERA, 0);
        JsonNode bounds = clinic.signBounds(Clinic.JONES_ID, Clinic.RIVERA, FhirJson.bounds(0, 4, 1, 100, 0.6, true, 3, 2));
        // Jones takes every dose and says so (another test reports one day's intake for her; a week
        // with one reported dose would read as poor adherence, and the guideline holds then).
        for (int d = 0; d < 7; d++) {
            expect(api.post("/fhir/MedicationStatement", clinic.ehr(), ClinLoopClient.FHIR_JSON, FhirJson.intake(
                    Clinic.JONES_ID, ItEnvironment.hoursAgo(11 + 24 * d), "29046", "completed").toString()), 201);
        }
        for (int i = 0; i < 3; i++) {
            // Above target but not far above: one step at a time (far above, the model proposes two).
            expect(clinic.postReading(Clinic.JONES_ID, ItEnvironment.hoursAgo(10 - i), 146, 91), 201);
            assertThat(clinic.approveOpenTasks(Clinic.JONES_ID, Clinic.RIVERA)).as("proposal %d waits for approval", i)
                    .isEqualTo(1);
        }
        assertThat(lastEntry(Clinic.JONES_ID, "AUTONOMY_EARNED").get("consecutiveApprovals").asInt()).isEqualTo(3);
        int before = adjustmentsOf(Clinic.JONES).size();

        JsonNode obs = expect(clinic.postReading(Clinic.JONES_ID, ItEnvironment.hoursAgo(1), 146, 91), 201).json();

        List<JsonNode> mine = adjustmentsOf(Clinic.JONES);
        assertThat(mine).hasSize(before + 1);
        JsonNode delivered = mine.get(0);
        assertThat(delivered.get("route").asText()).isEqualTo("AUTO");
        assertThat(delivered.get("fromStep").asInt()).isEqualTo(3);
        assertThat(delivered.get("toStep").asInt()).isEqualTo(4);
        assertThat(delivered.get("dose").decimalValue()).isEqualByComparingTo("40");
        assertThat(delivered.has("approvedBy")).isFalse();


        JsonNode ack = expect(api.post("/api/me/adjustments/" + delivered.get("id").asText() + "/acknowledge",
                clinic.patient(Clinic.JONES), ClinLoopClient.JSON_TYPE, "{}"), 200).json();
        assertThat(ack.has("acknowledgedAt")).isTrue();

        JsonNode decided = lastEntry(Clinic.JONES_ID, "TIER_DECIDED");
        assertThat(decided.get("tier").asText()).isEqualTo("AUTO");
        assertThat(decided.get("rulesVersion").asText()).startsWith("titration-safety@");
        assertThat(decided.get("boundsVersion").asInt()).isEqualTo(bounds.get("version").asInt());
        assertThat(decided.get("rulesFired").get(0).get("rule").asText()).isEqualTo("Inside the patient's bounds");
        JsonNode proposal = lastEntry(Clinic.JONES_ID, "PROPOSAL_MADE");
        assertThat(proposal.get("observation").asText()).isEqualTo(obs.get("id").asText());
        assertThat(proposal.get("model").get("provenanceHash").asText()).hasSize(64);
        assertThat(proposal.get("inputHash").asText()).hasSize(64);
        assertThat(proposal.get("features").get("sbp_last").asDouble()).isEqualTo(146.0);
        assertThat(proposal.get("features").get("adherence_7d").asDouble()).isEqualTo(1.0);

        JsonNode replay = expect(api.post("/api/decisions/" + proposal.get("proposal").asText() + "/replay",
                clinic.compliance(), ClinLoopClient.JSON_TYPE, ""), 200).json();
        assertThat(replay.get("matches").asBoolean()).as(replay.toString()).isTrue();
        assertThat(replay.get("replayed").get("tier").asText()).isEqualTo("AUTO");
        assertThat(api.post("/api/decisions/" + proposal.get("proposal").asText() + "/replay",
                clinic.clinician(Clinic.RIVERA), ClinLoopClient.JSON_TYPE, "").status()).isEqualTo(403);

        JsonNode provenance = expect(api.get("/fhir/Provenance?patient=" + Clinic.JONES_ID, clinic.compliance()), 200).json();
        assertThat(provenance.toString()).contains("model " + proposal.get("model").get("id").asText())
                .contains("Observation/" + obs.get("id").asText()).contains(decided.get("rulesVersion").asText());

        JsonNode events = expect(api.get("/fhir/AuditEvent?patient=" + Clinic.JONES_ID, clinic.patient(Clinic.JONES)), 200)
                .json();
        assertThat(events.toString()).contains("ADJUSTMENT_DELIVERED").contains("\"system\":\"http://dicom.nema.org/"
                + "resources/ontology/DCM\"");
        assertThat(api.get("/fhir/AuditEvent?patient=" + Clinic.LEE_ID, clinic.patient(Clinic.JONES)).status()).isEqualTo(403);
        assertThat(expect(api.get("/api/audit/entries?type=SIGN_IN&actor=" + Clinic.JONES, clinic.compliance()), 200)
                .json().size()).isPositive();

        expect(clinic.postReading(Clinic.JONES_ID, ItEnvironment.hoursAgo(0), 153, 95), 201);
        assertThat(ruleNames(lastEntry(Clinic.JONES_ID, "TIER_DECIDED"))).as("no second automatic change within 3 days")
                .doesNotContain("Inside the patient's bounds");
    }

    @Test
    void aChangeWithoutAutonomyWaitsForTheClinicianAndIsDeliveredOnceApproved() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);

        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 146, 91), 201);

        JsonNode tasks = expect(api.get("/fhir/Task?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(tasks.get("total").asInt()).isEqualTo(1);
        JsonNode task = tasks.get("entry").get(0).get("resource");
        assertThat(task.get("status").asText()).isEqualTo("requested");
        assertThat(task.get("code").get("coding").get(0).get("code").asText()).isEqualTo("approve");
        assertThat(task.get("owner").get("reference").asText()).isEqualTo("Practitioner/dr-rivera");
        assertThat(task.get("contained").get(0).get("intent").asText()).isEqualTo("proposal");
        assertThat(task.get("focus").get("reference").asText()).isEqualTo("#proposal");
        assertThat(expect(api.get("/fhir/MedicationRequest?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("total").asInt()).as("nothing delivered before approval").isZero();

        String taskId = task.get("id").asText();
        assertThat(expect(api.get("/fhir/Task?owner=Practitioner/dr-rivera&status=requested&priority=routine",
                clinic.clinician(Clinic.RIVERA)), 200).body()).contains(taskId);
        assertThat(expect(api.get("/fhir/Task?patient=" + patient + "&status=completed", clinic.clinician(Clinic.RIVERA)),
                200).json().get("total").asInt()).isZero();
        assertThat(api.get("/fhir/Task?owner=Practitioner/dr-rivera", clinic.clinician(Clinic.OKAFOR)).status())
                .isEqualTo(403);
        JsonNode approved = expect(api.post("/api/tasks/" + taskId + "/approve", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{\"note\":\"agree\"}"), 200).json();
        assertThat(approved.get("status").asText()).isEqualTo("APPROVED");
        assertThat(approved.get("decidedBy").asText()).isEqualTo(Clinic.RIVERA);

        ClinLoopClient.Reply again = api.post("/api/tasks/" + taskId + "/approve", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("current").get("status").asText()).isEqualTo("APPROVED");

        JsonNode orders = expect(api.get("/fhir/MedicationRequest?patient=" + patient, clinic.clinician(Clinic.RIVERA)),
                200).json();
        assertThat(orders.get("total").asInt()).isEqualTo(1);
        JsonNode order = orders.get("entry").get(0).get("resource");
        assertThat(order.get("intent").asText()).isEqualTo("order");
        assertThat(order.get("recorder").get("display").asText()).isEqualTo(Clinic.RIVERA);
        assertThat(expect(api.get("/api/patients/" + patient + "/regimen", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("doseStep").asInt()).isEqualTo(3);
        assertThat(lastEntry(patient, "ADJUSTMENT_DELIVERED").get("approvedBy").asText()).isEqualTo(Clinic.RIVERA);
    }

    @Test
    void anIncreaseBelowTheSystolicFloorIsBlockedWithADetectedIssue() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2,
                FhirJson.bounds(0, 4, 1, 150, 0.6, true));

        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(3), 146, 96), 201);

        JsonNode decided = lastEntry(patient, "TIER_DECIDED");
        assertThat(decided.get("tier").asText()).isEqualTo("BLOCKED");
        assertThat(ruleNames(decided)).contains("Increase below the systolic floor");
        JsonNode issues = expect(api.get("/fhir/DetectedIssue?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json();
        assertThat(issues.get("total").asInt()).isEqualTo(1);
        assertThat(issues.get("entry").get(0).get("resource").get("code").get("coding").get(0).get("code").asText())
                .isEqualTo("hypotension-risk");
        assertThat(expect(api.get("/fhir/Task?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("total").asInt()).isZero();
        assertThat(expect(api.get("/fhir/MedicationRequest?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("total").asInt()).isZero();
    }

    @Test
    void aCrisisReadingRaisesAnAlertAndAStatTaskWhateverTheModelSays() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, ItEnvironment.autonomous());

        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1).minusSeconds(600), 186, 118), 201);
        assertThat(expect(api.get("/fhir/DetectedIssue?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("total").asInt()).as("one crisis reading asks for a repeat, it raises no alert yet").isZero();
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 184, 122), 201);

        JsonNode issues = expect(api.get("/fhir/DetectedIssue?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json();
        JsonNode issue = issues.get("entry").get(0).get("resource");
        assertThat(issue.get("code").get("coding").get(0).get("code").asText()).isEqualTo("hypertensive-crisis");
        assertThat(issue.get("severity").asText()).isEqualTo("high");
        JsonNode tasks = expect(api.get("/fhir/Task?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json();
        tasks.get("entry").forEach(e -> assertThat(e.get("resource").get("priority").asText()).isEqualTo("stat"));
        // The first crisis reading's decision queued a task (no AUTO in a crisis); the confirming
        // reading raised the alert in its own request and waits for the quiet period to be decided.
        assertThat(ruleNames(lastEntry(patient, "TIER_DECIDED"))).contains("Crisis reading awaiting confirmation");
        JsonNode pending = expect(api.get("/api/patients/" + patient + "/decisions", clinic.clinician(Clinic.RIVERA)), 200)
                .json();
        assertThat(pending.get("pendingReadings").asInt()).isEqualTo(1);
        assertThat(expect(api.get("/fhir/MedicationRequest?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("total").asInt()).as("nothing reaches the patient in a crisis").isZero();

        // A third crisis reading within the merge window is merged into the open alert, not a new one.
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1).plusSeconds(300), 183, 119), 201);
        JsonNode merged = expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(merged.size()).isEqualTo(1);
        assertThat(merged.get(0).get("occurrences").asInt()).isEqualTo(2);
        String alertId = merged.get(0).get("id").asText();
        JsonNode ack = expect(api.post("/api/alerts/" + alertId + "/acknowledge", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{\"note\":\"called the patient\"}"), 200).json();
        assertThat(ack.get("status").asText()).isEqualTo("ACKNOWLEDGED");
        assertThat(ack.get("acknowledgedBy").asText()).isEqualTo(Clinic.RIVERA);
        assertThat(api.post("/api/alerts/" + alertId + "/acknowledge", clinic.clinician(Clinic.OKAFOR),
                ClinLoopClient.JSON_TYPE, "{}").status()).as("another clinician's alert, answered as a missing one")
                .isEqualTo(404);
    }

    @Test
    void aClinicianMayChooseAnotherDoseButNeverPastTheHardLimits() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, FhirJson.bounds(0, 3, 1, 100, 0.6, true));
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 158, 99), 201);
        String task = expect(api.get("/fhir/Task?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("entry").get(0).get("resource").get("id").asText();

        ClinLoopClient.Reply beyond = api.post("/api/tasks/" + task + "/modify", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{\"toStep\":5}");
        assertThat(beyond.status()).isEqualTo(422);
        assertThat(beyond.body()).contains("Outside the protocol's hard limits");

        JsonNode modified = expect(api.post("/api/tasks/" + task + "/modify", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{\"toStep\":4,\"note\":\"two steps: very high at home\"}"), 200).json();
        assertThat(modified.get("status").asText()).isEqualTo("APPROVED");
        assertThat(modified.get("modifiedToStep").asInt()).isEqualTo(4);
        JsonNode order = expect(api.get("/api/patients/" + patient + "/adjustments", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get(0);
        assertThat(order.get("toStep").asInt()).isEqualTo(4);
        assertThat(order.get("modified").asBoolean()).isTrue();
        assertThat(order.get("approvedBy").asText()).isEqualTo(Clinic.RIVERA);
        assertThat(lastEntry(patient, "TASK_MODIFIED").get("chosenStep").asInt()).isEqualTo(4);
    }

    @Test
    void boundsAreSignedThenActivatedAndNeverEditedInPlace() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        String token = clinic.clinician(Clinic.RIVERA);
        JsonNode v1 = expect(api.post("/api/patients/" + patient + "/bounds", token, ClinLoopClient.JSON_TYPE,
                ItEnvironment.autonomous().toString()), 201).json();
        assertThat(api.get("/api/patients/" + patient + "/bounds", token).status()).as("signed, not yet active").isEqualTo(404);
        expect(api.post("/api/patients/" + patient + "/bounds/" + v1.get("version").asInt() + "/activate", token,
                ClinLoopClient.JSON_TYPE, ""), 200);
        JsonNode v2 = clinic.signBounds(patient, Clinic.RIVERA, FhirJson.bounds(0, 2, 1, 105, 0.7, true));
        assertThat(expect(api.get("/api/patients/" + patient + "/bounds", token), 200).json().get("version").asInt())
                .isEqualTo(v2.get("version").asInt());
        assertThat(api.post("/api/patients/" + patient + "/bounds/" + v1.get("version").asInt() + "/activate", token,
                ClinLoopClient.JSON_TYPE, "").status()).as("a superseded version does not come back").isEqualTo(422);
        assertThat(expect(api.get("/api/patients/" + patient + "/bounds/history", token), 200).json().size()).isEqualTo(2);

        JsonNode goal = expect(api.put("/api/patients/" + patient + "/goal", token, ClinLoopClient.JSON_TYPE,
                "{\"systolicTarget\":135,\"diastolicTarget\":85}"), 200).json();
        assertThat(goal.get("setBy").asText()).isEqualTo(Clinic.RIVERA);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 150, 92), 201);
        JsonNode followUp = expect(api.get("/api/patients/" + patient + "/follow-up", token), 200).json();
        assertThat(followUp.get("intervalDays").asInt()).isEqualTo(14);
        assertThat(followUp.get("reason").asText()).contains("above the target 135");
    }

    static List<JsonNode> adjustmentsOf(String patientUser) {
        List<JsonNode> out = new ArrayList<>();
        expect(api.get("/api/me/adjustments", clinic.patient(patientUser)), 200).json().forEach(out::add);
        return out;
    }

    static JsonNode lastEntry(String patient, String type) {
        return ItEnvironment.lastEntry(patient, type);
    }

    static List<String> ruleNames(JsonNode decided) {
        return ItEnvironment.ruleNames(decided);
    }
}
