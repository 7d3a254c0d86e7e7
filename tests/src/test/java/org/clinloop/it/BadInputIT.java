package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets the right 4xx and an OperationOutcome that says what was expected and what was
 * found; nothing of it is stored, its refusal is recorded, and the server keeps serving.
 */
class BadInputIT {

    static Clinic clinic;
    static ClinLoopClient api;
    String patient;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
    }

    @BeforeEach
    void patient() {
        patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, ItEnvironment.autonomous());
    }

    @AfterEach
    void nothingWasStoredAndTheServerStillServes() {
        assertThat(expect(api.get("/fhir/Observation?patient=" + patient, clinic.ehr()), 200).json()
                .get("total").asInt()).as("observations stored for " + patient).isZero();
        assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
        assertThat(api.get("/fhir/metadata", null).status()).isEqualTo(200);
    }

    ClinLoopClient.Reply post(String body) {
        return api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON, body);
    }

    ObjectNode reading() {
        return FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(1), 150, 90);
    }

    String with(Consumer<ObjectNode> change) {
        ObjectNode obs = reading();
        change.accept(obs);
        return obs.toString();
    }

    static JsonNode outcome(ClinLoopClient.Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        JsonNode oo = reply.json();
        assertThat(oo.get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(oo.get("issue").get(0).get("severity").asText()).isEqualTo("error");
        return oo;
    }

    @Test
    void malformedJsonIsA400() {
        JsonNode oo = outcome(post("{\"resourceType\":\"Observation\",\"status\":"), 400);
        assertThat(oo.get("issue").get(0).get("diagnostics").asText()).containsIgnoringCase("json");
    }

    @Test
    void theWrongResourceTypeIsA400() {
        String patientJson = FhirJson.patient("x", "A", "B", "male", "1970-01-01", "dr-rivera").toString();
        JsonNode oo = outcome(post(patientJson), 400);
        assertThat(oo.get("issue").get(0).get("diagnostics").asText()).contains("Patient");
    }

    @Test
    void anUnknownPatientIsA422NamingTheSubject() {
        JsonNode oo = outcome(post(with(o -> o.putObject("subject").put("reference", "Patient/no-such-patient"))), 422);
        assertThat(oo.get("issue").get(0).get("expression").get(0).asText()).isEqualTo("Observation.subject");
        assertThat(oo.get("issue").get(0).get("diagnostics").asText()).contains("Patient/no-such-patient");
    }

    @Test
    void aMissingValueIsA422NamingTheElement() {
        JsonNode oo = outcome(post(with(o -> ((ObjectNode) o.get("component").get(0).get("valueQuantity")).remove("value"))),
                422);
        assertThat(oo.get("issue").get(0).get("expression").get(0).asText())
                .isEqualTo("Observation.component[0].valueQuantity.value");
        assertThat(oo.get("issue").get(0).get("diagnostics").asText()).contains("expected a systolic value").contains("found none");
        assertRejectionRecorded();
    }

    @Test
    void theWrongUnitIsA422NamingTheRightCode() {
        JsonNode oo = outcome(post(with(o -> ((ObjectNode) o.get("component").get(1).get("valueQuantity")).put("code", "mmHg"))),
                422);
        JsonNode issue = oo.get("issue").get(0);
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Observation.component[1].valueQuantity.code");
        assertThat(issue.get("diagnostics").asText()).contains("expected a UCUM unit (http://unitsofmeasure.org) convertible to mm[Hg]")
                .contains("found http://unitsofmeasure.org|mmHg").contains("with brackets");
    }

    @Test
    void implausibleValuesAndTimesAreRefusedWithEveryProblemListed() {
        String body = with(o -> {
            ((ObjectNode) o.get("component").get(0).get("valueQuantity")).put("value", 80);
            ((ObjectNode) o.get("component").get(1).get("valueQuantity")).put("value", 95);
            o.put("effectiveDateTime", Instant.now().plus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString());
        });
        JsonNode oo = outcome(post(body), 422);
        assertThat(oo.get("issue").toString()).contains("expected diastolic below systolic, found 80/95")
                .contains("Observation.effective");
    }

    @Test
    void anUnknownElementIsRefused() {
        JsonNode oo = outcome(post(with(o -> o.put("surprise", true))), 400);
        assertThat(oo.get("issue").get(0).get("diagnostics").asText()).contains("surprise");
    }

    @Test
    void aNonJsonContentTypeIsRefusedWithAnOutcome() {
        ClinLoopClient.Reply r = api.postBytes("/fhir/Observation", clinic.ehr(), "text/plain",
                "systolic=150".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isBetween(400, 499);
        assertThat(r.body()).contains("OperationOutcome");
    }

    @Test
    void restInputIsCheckedFieldByField() {
        ClinLoopClient.Reply missing = api.post("/api/patients/" + patient + "/bounds", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{\"protocol\":\"hypertension-acei-v1\",\"lowestStep\":\"one\"}");
        JsonNode oo = outcome(missing, 422);
        assertThat(oo.get("issue").toString()).contains("expected lowestStep to be an integer")
                .contains("expected a value for highestStep, found none");

        JsonNode beyond = outcome(api.post("/api/patients/" + patient + "/bounds", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, FhirJson.bounds(0, 4, 3, 100, 0.6, true).toString()), 422);
        assertThat(beyond.get("issue").get(0).get("diagnostics").asText()).isEqualTo("expected maxAutoSteps 0..1, found 3");

        outcome(api.post("/api/patients/" + patient + "/bounds", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{not json"), 400);
    }

    void assertRejectionRecorded() {
        JsonNode entries = expect(api.get("/api/audit/entries?patient=" + patient + "&type=OBSERVATION_REJECTED",
                clinic.compliance()), 200).json();
        assertThat(entries.size()).isEqualTo(1);
    }
}
