package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.Test;

/**
 * The clinician–AI loop over HTTP: approvals, modifications and rejections become labelled
 * feedback linked to the proposing model version; a retraining job builds a CANDIDATE from the
 * cohort plus that feedback, records which decisions it learned from, and reports what changed.
 */
class FeedbackLoopIT {

    private final Clinic clinic = ItEnvironment.clinic();
    private final ClinLoopClient api = clinic.api();

    /** A fresh approval-only patient at step 2 with one reading above target: a one-step INCREASE task. */
    private String openTask() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 146, 90), 201);
        JsonNode tasks = expect(api.get("/fhir/Task?patient=" + patient + "&status=requested",
                clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(tasks.get("total").asInt()).isEqualTo(1);
        return tasks.get("entry").get(0).get("resource").get("id").asText();
    }

    private JsonNode summary() {
        return expect(api.get("/api/models/feedback", clinic.compliance()), 200).json();
    }

    private static int count(JsonNode summary, String map, String key) {
        return summary.path(map).path(key).asInt(0);
    }

    @Test
    void decisionsBecomeLabelsAndRetrainingReportsWhatTheyChanged() {
        String active = clinic.ensureActiveModel();
        String rivera = clinic.clinician(Clinic.RIVERA);
        JsonNode was = summary();

        expect(api.post("/api/tasks/" + openTask() + "/approve", rivera, ClinLoopClient.JSON_TYPE,
                "{\"note\":\"agree\"}"), 200);
        expect(api.post("/api/tasks/" + openTask() + "/modify", rivera, ClinLoopClient.JSON_TYPE,
                "{\"toStep\":4,\"note\":\"two steps\"}"), 200);
        expect(api.post("/api/tasks/" + openTask() + "/reject", rivera, ClinLoopClient.JSON_TYPE,
                "{\"reason\":\"CLINICAL_JUDGEMENT\",\"note\":\"white-coat pattern, wait\"}"), 200);
        expect(api.post("/api/tasks/" + openTask() + "/reject", rivera, ClinLoopClient.JSON_TYPE,
                "{\"reason\":\"DATA_QUALITY\",\"note\":\"cuff too small\"}"), 200);

        JsonNode now = summary();
        assertThat(now.get("decisions").asInt()).isEqualTo(was.get("decisions").asInt() + 4);
        assertThat(count(now, "byAction", "APPROVED")).isEqualTo(count(was, "byAction", "APPROVED") + 1);
        assertThat(count(now, "byAction", "MODIFIED")).isEqualTo(count(was, "byAction", "MODIFIED") + 1);
        assertThat(count(now, "byAction", "REJECTED")).isEqualTo(count(was, "byAction", "REJECTED") + 2);
        // The approval and the modification to step 4 label INCREASE; the clinical rejection HOLD.
        assertThat(count(now, "byLabel", "INCREASE")).isEqualTo(count(was, "byLabel", "INCREASE") + 2);
        assertThat(count(now, "byLabel", "HOLD")).isEqualTo(count(was, "byLabel", "HOLD") + 1);
        String dataQuality = "rejected for data quality: the readings, not the proposal, were in doubt";
        assertThat(count(now, "unlabelled", dataQuality)).isEqualTo(count(was, "unlabelled", dataQuality) + 1);
        JsonNode agreement = now.path("agreementByModel").path(active);
        assertThat(agreement.get("n").asInt()).isEqualTo(was.path("agreementByModel").path(active).path("n").asInt(0) + 3);
        assertThat(agreement.get("share").asDouble()).isBetween(0.0, 1.0);

        // Only a steward retrains; a clinician neither retrains nor reads the feedback.
        assertThat(api.post("/api/models/retrain?seed=4103", rivera, ClinLoopClient.JSON_TYPE, "").status())
                .isEqualTo(403);
        assertThat(api.get("/api/models/feedback", rivera).status()).isEqualTo(403);
        assertThat(api.post("/api/models/retrain", clinic.steward(), ClinLoopClient.JSON_TYPE, "").status())
                .as("every training run is seeded").isEqualTo(400);
        ClinLoopClient.Reply badSeed = api.post("/api/models/retrain?seed=abc", clinic.steward(),
                ClinLoopClient.JSON_TYPE, "");
        assertThat(badSeed.status()).isEqualTo(400);
        assertThat(badSeed.json().at("/issue/0/diagnostics").asText()).contains("expected a whole-number seed")
                .contains("abc");

        JsonNode report = expect(api.post("/api/models/retrain?seed=4103", clinic.steward(),
                ClinLoopClient.JSON_TYPE, ""), 201).json();
        String candidate = report.at("/candidate/id").asText();
        assertThat(report.at("/candidate/status").asText()).isEqualTo("CANDIDATE");
        assertThat(report.get("comparedWith").asText()).isEqualTo(active);
        assertThat(report.get("decisions").asInt()).isEqualTo(now.get("decisions").asInt());
        int labelled = 0;
        for (JsonNode n : now.get("byLabel")) {
            labelled += n.asInt();
        }
        assertThat(report.get("trainedOn").asInt() + report.get("heldOut").asInt()).isEqualTo(labelled);
        assertThat(report.at("/notUsed/" + escape(dataQuality)).asInt()).isPositive();
        assertThat(report.get("weight").asDouble()).isEqualTo(5.0);
        List<String> which = new ArrayList<>();
        for (JsonNode a : report.get("agreement")) {
            which.add(a.get("decisions").asText());
            if (a.get("n").asInt() > 0) {
                assertThat(a.get("after").asDouble()).isBetween(0.0, 1.0);
                assertThat(a.get("before").asDouble()).isBetween(0.0, 1.0);
                assertThat(a.get("atDecision").asDouble()).isBetween(0.0, 1.0);
            }
        }
        assertThat(which).containsExactly("held out", "trained on");
        assertThat(report.at("/cohort/before/accuracy").asDouble()).isGreaterThan(0.8);
        assertThat(report.at("/cohort/after/accuracy").asDouble()).isGreaterThan(0.8);
        assertThat(report.at("/cohort/after/n").asInt()).isEqualTo(800);

        // Audited: the report, and the registration with the decisions it learned from.
        JsonNode retrained = ItEnvironment.lastEntry(null, "MODEL_RETRAINED");
        assertThat(retrained.get("model").asText()).isEqualTo(candidate);
        assertThat(retrained.get("trainedOn").asInt()).isEqualTo(report.get("trainedOn").asInt());
        JsonNode registered = ItEnvironment.lastEntry(null, "MODEL_REGISTERED");
        assertThat(registered.get("model").asText()).isEqualTo(candidate);
        if (report.get("trainedOn").asInt() > 0) {
            assertThat(registered.at("/feedback/proposals").size()).isEqualTo(report.get("trainedOn").asInt());
            assertThat(registered.at("/feedback/weight").asDouble()).isEqualTo(5.0);
        }
        JsonNode version = expect(api.get("/api/models/" + candidate, clinic.compliance()), 200).json();
        assertThat(version.at("/metrics/held_out").asInt()).isEqualTo(800);

        // Its training data rebuilds from the seed and the stored feedback to the same dataset hash:
        // drift is measured against exactly what it learned from.
        JsonNode drift = expect(api.get("/api/models/" + candidate + "/drift?days=1", clinic.compliance()), 200).json();
        assertThat(drift.get("referenceSize").asInt()).isEqualTo(4000 + report.get("trainedOn").asInt());

        // Retraining never promotes: the ACTIVE version is unchanged.
        assertThat(clinic.ensureActiveModel()).isEqualTo(active);
    }

    @Test
    void theModelSeesAgeAdherenceHeartRateAndActivityFromTheRecordAndNamesWhatIsUnknown() {
        clinic.ensureActiveModel();
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null); // born 1960-01-01
        String ehr = clinic.ehr();
        for (JsonNode resource : List.of(
                FhirJson.quantity(patient, ItEnvironment.hoursAgo(20), "8867-4", "vital-signs", 64, "/min"),
                FhirJson.quantity(patient, ItEnvironment.hoursAgo(8), "8867-4", "vital-signs", 70, "/min"),
                FhirJson.quantity(patient, ItEnvironment.hoursAgo(8), "41950-7", "activity", 7300, "/d"))) {
            expect(api.post("/fhir/Observation", ehr, ClinLoopClient.FHIR_JSON, resource.toString()), 201);
        }
        // Two days with a dose reported taken, one reported missed: 2 of 7.
        for (String[] intake : new String[][] {{"30", "completed"}, {"6", "completed"}, {"54", "not-taken"}}) {
            expect(api.post("/fhir/MedicationStatement", ehr, ClinLoopClient.FHIR_JSON, FhirJson.intake(patient,
                    ItEnvironment.hoursAgo(Integer.parseInt(intake[0])), "29046", intake[1]).toString()), 201);
        }
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 156, 97), 201);

        JsonNode proposal = ItEnvironment.lastEntry(patient, "PROPOSAL_MADE");
        JsonNode features = proposal.get("features");
        int age = java.time.Period.between(java.time.LocalDate.of(1960, 1, 1),
                java.time.LocalDate.ofInstant(ItEnvironment.hoursAgo(2), java.time.ZoneOffset.UTC)).getYears();
        assertThat(features.get("age").asDouble()).isEqualTo(age);
        assertThat(features.get("heart_rate_7d").asDouble()).isEqualTo(67.0);
        assertThat(features.get("steps_7d").asDouble()).isEqualTo(7300.0);
        assertThat(features.get("adherence_7d").asDouble()).isCloseTo(2 / 7.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(features.get("adherence_7d_missing").asDouble()).isZero();
        List<String> missing = new ArrayList<>();
        proposal.get("missingFeatures").forEach(m -> missing.add(m.asText()));
        assertThat(missing).contains("egfr", "potassium", "night_dip_7d").doesNotContain("age", "adherence_7d",
                "heart_rate_7d", "steps_7d");
        assertThat(features.get("egfr_missing").asDouble()).isEqualTo(1.0);
        assertThat(proposal.get("rationale").asText()).contains("adherence 29%");
    }

    /** A JSON pointer segment for a map key. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
