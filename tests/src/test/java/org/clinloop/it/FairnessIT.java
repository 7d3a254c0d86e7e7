package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Fairness reports over HTTP: uploaded tables, the human loop, the FHIR MeasureReport and the audit entry. */
class FairnessIT {

    static Clinic clinic;
    static ClinLoopClient api;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
    }

    @Test
    void anUploadedCompasTableGivesAequitasDisparities() throws Exception {
        String csv = Files.readString(Path.of(System.getProperty("clinloop.shared.data"), "fairness", "compas_for_aequitas.csv"));
        ClinLoopClient.Reply r = api.post("/api/fairness/audit?reference=race%3DCaucasian%2Csex%3DMale%2Cage_cat%3D25%20-%2045",
                clinic.compliance(), "text/csv", csv);
        JsonNode report = expect(r, 201).json();
        assertThat(report.get("kind").asText()).isEqualTo("TABLE");
        JsonNode race = report.get("content").get("attributes").get(0);
        assertThat(race.get("attribute").asText()).isEqualTo("race");
        JsonNode black = race.get("groups").get(0);
        assertThat(black.get("group").asText()).isEqualTo("African-American");
        assertThat(black.get("disparities").get("fpr").get("ratio").asDouble()).isBetween(1.905, 1.915);
        assertThat(black.get("parity").get("EQUALIZED_ODDS").asBoolean()).isFalse();

        assertThat(api.post("/api/fairness/audit", clinic.clinician(Clinic.RIVERA), "text/csv", csv).status()).isEqualTo(403);
        assertThat(api.post("/api/fairness/audit", null, "text/csv", csv).status()).isEqualTo(401);
        ClinLoopClient.Reply bad = api.post("/api/fairness/audit", clinic.compliance(), "text/csv",
                "score,label_value,race\n1,0,A\nmaybe,1,B\n");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.body()).contains("Line 3: expected score 0 or 1, found \\\"maybe\\\"");
    }

    @Test
    void theHumanLoopReportIsStoredAuditedAndReadableAsAMeasureReport() {
        String tag = UUID.randomUUID().toString().substring(0, 6);
        for (int i = 0; i < 3; i++) {
            String id = "it-fair-" + tag + "-" + i;
            ObjectNode patient = FhirJson.patient(id, "Fair", "Ness", i == 0 ? "female" : "male", "1950-05-05", "dr-rivera");
            patient.putArray("extension").addObject()
                    .put("url", "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race")
                    .putArray("extension").addObject().put("url", "ombCategory").putObject("valueCoding")
                    .put("system", "urn:oid:2.16.840.1.113883.6.238").put("code", "2054-5")
                    .put("display", "Black or African American");
            expect(api.put("/fhir/Patient/" + id, clinic.ehr(), ClinLoopClient.FHIR_JSON, patient.toString()), 201);
            clinic.setRegimen(id, Clinic.RIVERA, 1);
            expect(clinic.postReading(id, ItEnvironment.hoursAgo(1), 152, 95), 201);
        }

        JsonNode stored = expect(api.post("/api/fairness/reports?kind=HUMAN_LOOP&days=1", clinic.compliance(),
                ClinLoopClient.JSON_TYPE, ""), 201).json();
        JsonNode content = stored.get("content");
        assertThat(content.get("proposals").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(content.get("rates").fieldNames()).toIterable()
                .contains("AUTO_RATE", "APPROVAL_RATE", "REJECTION_RATE", "BLOCK_RATE", "ALERT_RATE");
        JsonNode raceGroups = content.get("rates").get("AUTO_RATE").get("attributes").get(2).get("groups");
        assertThat(raceGroups.toString()).contains("Black or African American");
        assertThat(raceGroups.toString()).as("groups under 11 are suppressed").contains("\"size\":\"suppressed\"");

        JsonNode entry = expect(api.get("/api/audit/entries?type=FAIRNESS_REPORTED&limit=1", clinic.compliance()), 200)
                .json().get(0);
        assertThat(entry.get("detailJson").asText()).contains(stored.get("contentHash").asText());

        JsonNode mr = expect(api.get("/fhir/MeasureReport/" + stored.get("id").asText(), clinic.compliance()), 200).json();
        assertThat(mr.get("resourceType").asText()).isEqualTo("MeasureReport");
        JsonNode autoRate = null;
        for (JsonNode g : mr.get("group")) {
            if ("auto_rate".equals(g.get("code").get("coding").get(0).get("code").asText())) {
                autoRate = g;
            }
        }
        assertThat(autoRate).as("a MeasureReport group for auto_rate").isNotNull();
        assertThat(autoRate.get("stratifier").get(0).get("code").get(0).get("text").asText()).isEqualTo("sex");
        assertThat(mr.toString()).contains("\"valueCode\":\"masked\"");
        assertThat(api.get("/fhir/MeasureReport/" + stored.get("id").asText(), clinic.patient(Clinic.JONES)).status())
                .isEqualTo(403);
    }
}
