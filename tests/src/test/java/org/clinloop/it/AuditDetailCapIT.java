package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.clinloop.client.Credentials;
import org.clinloop.client.KeycloakTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 6: text a caller chooses reaches the immutable audit log capped. A refusal
 * keeps its first 10 problems and says how many there were (the answer still lists them all); a
 * note or a request path keeps its first 400 characters and says how long it was.
 */
class AuditDetailCapIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static Clinic clinic;
    static ClinLoopClient api;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
    }

    @Test
    void aRefusedTransactionRecordsItsFirstTenProblemsAndHowManyThereWere() throws IOException {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        List<ObjectNode> readings = new ArrayList<>();
        Instant start = Instant.now().minus(Duration.ofHours(3));
        for (int i = 0; i < 40; i++) {
            ObjectNode reading = FhirJson.quantity(patient, start.plusSeconds(i), "8867-4", "vital-signs", 70, "/min");
            // A code the caller chose, long enough that each refusal quotes it at length.
            ((ObjectNode) reading.get("code").get("coding").get(0)).put("code", i + "-" + "9".repeat(3000));
            readings.add(reading);
        }
        ClinLoopClient.Reply refused = api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.transaction(readings).toString());
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        int problems = refused.json().get("issue").size();
        assertThat(problems).as("the answer lists every problem").isGreaterThanOrEqualTo(40);

        JsonNode entry = newest("type=OBSERVATION_REJECTED");
        JsonNode recorded = JSON.readTree(entry.get("detailJson").asText()).get("problems");
        assertThat(recorded.get(0).get("expression").asText()).isEqualTo("Bundle.entry[0].resource.code");
        assertThat(recorded).hasSize(11);
        assertThat(recorded.get(10).get("message").asText())
                .isEqualTo("…[cut: " + problems + " problems in all, the first 10 kept]");
        assertThat(entry.get("detailJson").asText().length()).as("what the log keeps of 40 refused entries")
                .isLessThan(8_000);
    }

    @Test
    void aClinicianNoteIsRecordedCutWithItsLength() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, Instant.now().minus(Duration.ofMinutes(6)), 186, 121).toString()), 201);
        expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, Instant.now().minus(Duration.ofMinutes(1)), 188, 122).toString()), 201);
        String alert = null;
        for (JsonNode a : expect(api.get("/api/alerts", clinic.clinician(Clinic.RIVERA)), 200).json()) {
            if (patient.equals(a.get("patientId").asText())) {
                alert = a.get("id").asText();
            }
        }
        assertThat(alert).as("the confirmed crisis raised an alert").isNotNull();
        String note = "Called the patient. " + "n".repeat(20_000);
        expect(api.post("/api/alerts/" + alert + "/acknowledge", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, JSON.createObjectNode().put("note", note).toString()), 200);

        JsonNode detail = ItEnvironment.lastEntry(patient, "ALERT_ACKNOWLEDGED");
        assertThat(detail.get("note").asText())
                .isEqualTo(note.substring(0, 400) + " …[cut: " + note.length() + " characters in all]");
    }

    @Test
    void theFirstRequestOfASessionIsRecordedCut() throws IOException {
        // A token of its own, so that its first request opens a session (SIGN_IN).
        Credentials credentials = Credentials.fromEnvironment();
        String token = new KeycloakTokens(ItEnvironment.KEYCLOAK).systemToken(credentials.ehrKey(),
                KeycloakTokens.EHR_SCOPES);
        String path = "/fhir/Patient/" + "p".repeat(3000);
        assertThat(api.get(path, token).status()).isBetween(400, 499);

        JsonNode detail = JSON.readTree(newest("type=SIGN_IN&actor=service-account-" + KeycloakTokens.EHR_CLIENT)
                .get("detailJson").asText());
        String request = "GET " + path;
        assertThat(detail.get("firstRequest").asText())
                .isEqualTo(request.substring(0, 400) + " …[cut: " + request.length() + " characters in all]");
    }

    private static JsonNode newest(String query) {
        JsonNode entries = expect(api.get("/api/audit/entries?" + query + "&limit=1", clinic.compliance()), 200).json();
        assertThat(entries).as(query).hasSize(1);
        return entries.get(0);
    }
}
