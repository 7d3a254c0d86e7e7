package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.junit.jupiter.api.Test;

/**
 * The model lifecycle over HTTP: a CANDIDATE goes to SHADOW and scores live traffic without
 * acting, its agreement with the ACTIVE version is reported per class and per group, a new
 * version is promoted, and one call rolls back to the previous ACTIVE one; every step audited.
 * Leaves the model that was ACTIVE before it ACTIVE again.
 */
class ModelLifecycleIT {

    @Test
    void aShadowScoresWithoutActingAndARollbackReturnsToThePreviousVersion() {
        Clinic clinic = ItEnvironment.clinic();
        ClinLoopClient api = clinic.api();
        String steward = clinic.steward();
        String before = clinic.ensureActiveModel();

        String promoted = expect(api.post("/api/models/train?seed=4101", steward, ClinLoopClient.JSON_TYPE, ""), 201)
                .json().get("id").asText();
        String shadow = expect(api.post("/api/models/train?seed=4102", steward, ClinLoopClient.JSON_TYPE, ""), 201)
                .json().get("id").asText();

        assertThat(api.post("/api/models/" + shadow + "/shadow", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "").status()).as("only a model steward").isEqualTo(403);
        assertThat(expect(api.post("/api/models/" + shadow + "/shadow", steward, ClinLoopClient.JSON_TYPE, ""), 200)
                .json().get("status").asText()).isEqualTo("SHADOW");
        assertThat(api.post("/api/models/" + before + "/shadow", steward, ClinLoopClient.JSON_TYPE, "").status())
                .as("an ACTIVE version is not a candidate").isEqualTo(422);
        assertThat(ItEnvironment.lastEntry(null, "MODEL_SHADOWED").get("model").asText()).isEqualTo(shadow);

        // Live traffic: the ACTIVE version proposes; the SHADOW version only scores.
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(30), 158, 97), 201);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(20), 161, 99), 201);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(10), 156, 96), 201);
        assertThat(ItEnvironment.lastEntry(patient, "PROPOSAL_MADE").at("/model/id").asText()).isEqualTo(before);

        JsonNode agreement = expect(api.get("/api/models/" + shadow + "/agreement", clinic.compliance()), 200).json();
        assertThat(agreement.get("scored").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(agreement.at("/activeModels/" + before).asLong()).isGreaterThanOrEqualTo(3);
        long confusionTotal = 0;
        for (JsonNode row : agreement.get("confusion")) {
            for (JsonNode n : row) {
                confusionTotal += n.asLong();
            }
        }
        assertThat(confusionTotal).isEqualTo(agreement.get("scored").asLong());
        assertThat(agreement.at("/byGroup/sex")).as(agreement.toString()).isNotNull();
        assertThat(agreement.get("agreement").asDouble()).isBetween(0.0, 1.0);

        // Drift of the ACTIVE version: its regenerated training reference against its live proposals.
        JsonNode drift = expect(api.get("/api/models/" + before + "/drift?days=2", clinic.compliance()), 200).json();
        assertThat(drift.get("referenceSize").asInt()).isEqualTo(4000);
        assertThat(drift.get("currentSize").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(drift.get("enoughData").asBoolean()).isEqualTo(drift.get("currentSize").asInt() >= 30);
        // Every feature that is always known (13, and the 8 missing-value indicators) is compared; an
        // optional feature only where both samples know it at least twice.
        List<String> compared = new ArrayList<>();
        drift.get("features").forEach(f -> compared.add(f.get("feature").asText()));
        assertThat(compared).hasSizeBetween(21, 29).doesNotHaveDuplicates()
                .contains("sbp_mean_30d", "night_dip_7d_missing", "adherence_7d_missing", "age_missing");
        assertThat(drift.at("/features/0/feature").asText()).isEqualTo("sbp_mean_7d");
        assertThat(drift.at("/features/0/psi").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(drift.at("/output/feature").asText()).isEqualTo("direction");
        assertThat(drift.at("/steps/feature").asText()).isEqualTo("steps");
        assertThat(drift.at("/steps/psi").asDouble()).isGreaterThanOrEqualTo(0.0);
        if ("ALERT".equals(drift.get("status").asText())) {
            assertThat(ItEnvironment.lastEntry(null, "MODEL_DRIFT_ALERT").get("model").asText()).isEqualTo(before);
        }
        assertThat(api.get("/api/models/" + before + "/drift?days=0", clinic.compliance()).status()).isEqualTo(400);
        // The same check, as metrics a monitoring system scrapes.
        String metrics = expect(api.get("/metrics?scope=application", null, "text/plain"), 200).body();
        assertThat(metrics).contains("clinloop_drift_psi{feature=\"sbp_mean_7d\"")
                .contains("clinloop_drift_psi{feature=\"direction\"")
                .contains("clinloop_drift_status")
                .containsPattern("clinloop_drift_proposals\\{[^}]*\\} " + drift.get("currentSize").asInt() + "\\.0");

        // Promote another version, then roll back in one call.
        expect(api.post("/api/models/" + promoted + "/activate", steward, ClinLoopClient.JSON_TYPE, "{}"), 200);
        assertThat(ItEnvironment.lastEntry(null, "MODEL_ACTIVATED").get("retired").asText()).isEqualTo(before);
        assertThat(api.post("/api/models/rollback", steward, ClinLoopClient.JSON_TYPE, "{}").status())
                .as("a rollback needs a reason").isEqualTo(422);
        JsonNode back = expect(api.post("/api/models/rollback", steward, ClinLoopClient.JSON_TYPE,
                "{\"reason\":\"calibration drift seen in review\"}"), 200).json();
        assertThat(back.get("id").asText()).isEqualTo(before);
        assertThat(back.get("status").asText()).isEqualTo("ACTIVE");
        JsonNode rolled = ItEnvironment.lastEntry(null, "MODEL_ROLLED_BACK");
        assertThat(rolled.get("from").asText()).isEqualTo(promoted);
        assertThat(rolled.get("to").asText()).isEqualTo(before);
        assertThat(rolled.get("reason").asText()).contains("calibration");
        assertThat(expect(api.get("/api/models/" + promoted, steward), 200).json().get("status").asText())
                .isEqualTo("RETIRED");

        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 157, 95), 201);
        assertThat(ItEnvironment.lastEntry(patient, "PROPOSAL_MADE").at("/model/id").asText()).isEqualTo(before);

        // A refused promotion is itself on the record, with every gate it was held to.
        assertThat(api.post("/api/models/" + promoted + "/activate", steward, ClinLoopClient.JSON_TYPE, "{}").status())
                .as("a RETIRED version is not promoted again").isEqualTo(422);
        JsonNode refused = ItEnvironment.lastEntry(null, "MODEL_ACTIVATION_REFUSED");
        assertThat(refused.get("model").asText()).isEqualTo(promoted);
        assertThat(refused.get("reasons").toString()).contains("found RETIRED");
        assertThat(refused.at("/gates/maxGroupRegression").asDouble()).isEqualTo(0.05);
        assertThat(refused.get("gateChecks").toString()).contains("group");

        // A second promotion and rollback return to the version it replaced, never to one rolled back
        // from (promoted's sign-off is newer than before's: ordering by it chose promoted).
        expect(api.post("/api/models/" + shadow + "/activate", steward, ClinLoopClient.JSON_TYPE, "{}"), 200);
        JsonNode again = expect(api.post("/api/models/rollback", steward, ClinLoopClient.JSON_TYPE,
                "{\"reason\":\"shadow promoted for review only\"}"), 200).json();
        assertThat(again.get("id").asText()).isEqualTo(before);
        assertThat(expect(api.get("/api/models/" + promoted, steward), 200).json().get("status").asText())
                .isEqualTo("RETIRED");
    }
}
