package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 5: an Observation's identifier is unique per patient. One patient storing a
 * reading under another patient's gateway identifier neither swallows that patient's reading nor
 * learns whether the identifier is in use.
 */
class IdentifierPerPatientIT {

    static final String GATEWAY = "urn:clinloop:it-gateway";
    static Clinic clinic;
    static ClinLoopClient api;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        clinic.registerPatient(Clinic.JONES_ID, "Jones", "Pat", "female", "1961-04-02", "dr-rivera");
        clinic.registerPatient(Clinic.LEE_ID, "Lee", "Sam", "male", "1958-09-17", "dr-rivera");
    }

    /** A heart rate (a vital sign a patient may send; it queues no decision) with the gateway's identifier. */
    static ObjectNode heartRate(String patient, String identifier, int bpm) {
        return FhirJson.identified(FhirJson.quantity(patient, ItEnvironment.hoursAgo(1), "8867-4", "vital-signs", bpm,
                "/min"), GATEWAY, identifier);
    }

    static ClinLoopClient.Reply post(String token, ObjectNode resource, Map<String, String> headers) {
        return api.post("/fhir/Observation", token, ClinLoopClient.FHIR_JSON, resource.toString(), headers);
    }

    @Test
    void anotherPatientsIdentifierDoesNotSwallowAReading() {
        String taken = UUID.randomUUID().toString();
        // Lee stores a reading of their own under the identifier Jones's gateway will use next.
        JsonNode lees = expect(post(clinic.patient(Clinic.LEE), heartRate(Clinic.LEE_ID, taken, 70), Map.of()), 201).json();

        ObjectNode jonesReading = heartRate(Clinic.JONES_ID, taken, 88);
        JsonNode jones = expect(post(clinic.ehr(), jonesReading, Map.of()), 201).json();
        assertThat(jones.get("id").asText()).isNotEqualTo(lees.get("id").asText());
        assertThat(jones.get("subject").get("reference").asText()).isEqualTo("Patient/" + Clinic.JONES_ID);
        assertThat(jones.get("valueQuantity").get("value").asInt()).isEqualTo(88);

        // Retries stay safe, each within its own patient: plain, and as a FHIR conditional create.
        assertThat(expect(post(clinic.ehr(), jonesReading, Map.of()), 200).json().get("id").asText())
                .isEqualTo(jones.get("id").asText());
        assertThat(expect(post(clinic.ehr(), jonesReading, Map.of("If-None-Exist", "identifier=" + GATEWAY + "|" + taken)),
                200).json().get("id").asText()).isEqualTo(jones.get("id").asText());
        assertThat(expect(post(clinic.patient(Clinic.LEE), heartRate(Clinic.LEE_ID, taken, 70),
                Map.of("If-None-Exist", "identifier=" + GATEWAY + "|" + taken)), 200).json().get("id").asText())
                .isEqualTo(lees.get("id").asText());

        // What the clinician reads is Jones's own reading, stored once.
        JsonNode read = expect(api.get("/fhir/Observation/" + jones.get("id").asText(), clinic.clinician(Clinic.RIVERA)),
                200).json();
        assertThat(read.get("subject").get("reference").asText()).isEqualTo("Patient/" + Clinic.JONES_ID);
        assertThat(expect(api.get("/fhir/Observation?patient=" + Clinic.JONES_ID + "&code=8867-4&_count=500",
                clinic.clinician(Clinic.RIVERA)), 200).json().get("entry").findValues("id").stream()
                .filter(id -> id.asText().equals(jones.get("id").asText())).count()).isEqualTo(1);
    }

    @Test
    void bundlesScopeIdentifiersToTheirPatientToo() {
        String taken = UUID.randomUUID().toString();
        String batchTaken = UUID.randomUUID().toString();
        expect(post(clinic.patient(Clinic.LEE), heartRate(Clinic.LEE_ID, taken, 71), Map.of()), 201);
        expect(post(clinic.patient(Clinic.LEE), heartRate(Clinic.LEE_ID, batchTaken, 72), Map.of()), 201);

        ObjectNode tx = FhirJson.transaction(List.of(heartRate(Clinic.JONES_ID, taken, 90)));
        ((ObjectNode) tx.get("entry").get(0).get("request")).put("ifNoneExist", "identifier=" + GATEWAY + "|" + taken);
        JsonNode txReply = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, tx.toString()), 200).json();
        assertThat(txReply.get("entry").get(0).get("response").get("status").asText()).isEqualTo("201 Created");

        ObjectNode batch = FhirJson.batch(List.of(heartRate(Clinic.JONES_ID, batchTaken, 91)));
        ((ObjectNode) batch.get("entry").get(0).get("request")).put("ifNoneExist",
                "identifier=" + GATEWAY + "|" + batchTaken);
        JsonNode batchReply = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, batch.toString()), 200).json();
        assertThat(batchReply.get("entry").get(0).get("response").get("status").asText()).isEqualTo("201 Created");
        // And a retry of that batch entry finds Jones's reading, not Lee's.
        JsonNode retried = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, batch.toString()), 200).json();
        assertThat(retried.get("entry").get(0).get("response").get("status").asText()).isEqualTo("200 OK");
        assertThat(retried.get("entry").get(0).get("fullUrl").asText())
                .isEqualTo(batchReply.get("entry").get(0).get("fullUrl").asText());
    }

    @Test
    void aRefusalDoesNotTellWhetherTheIdentifierIsStored() {
        String stored = UUID.randomUUID().toString();
        expect(post(clinic.ehr(), heartRate(Clinic.JONES_ID, stored, 80), Map.of()), 201);
        String fresh = UUID.randomUUID().toString();
        String lee = clinic.patient(Clinic.LEE);

        // Lee may not write Jones's record: the same 403, saying the same, for a stored and a fresh identifier.
        ClinLoopClient.Reply onStored = post(lee, heartRate(Clinic.JONES_ID, stored, 80), Map.of());
        ClinLoopClient.Reply onFresh = post(lee, heartRate(Clinic.JONES_ID, fresh, 80), Map.of());
        assertThat(onStored.status()).as(onStored.toString()).isEqualTo(403);
        assertThat(onFresh.status()).as(onFresh.toString()).isEqualTo(403);
        assertThat(onStored.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(onStored.body()).doesNotContain(stored);
        assertThat(onStored.body().replace(stored, "ID")).isEqualTo(onFresh.body().replace(fresh, "ID"));

        ClinLoopClient.Reply condStored = post(lee, heartRate(Clinic.JONES_ID, stored, 80),
                Map.of("If-None-Exist", "identifier=" + GATEWAY + "|" + stored));
        ClinLoopClient.Reply condFresh = post(lee, heartRate(Clinic.JONES_ID, fresh, 80),
                Map.of("If-None-Exist", "identifier=" + GATEWAY + "|" + fresh));
        assertThat(condStored.status()).as(condStored.toString()).isEqualTo(403);
        assertThat(condStored.body()).doesNotContain(stored);
        assertThat(condStored.body().replace(stored, "ID")).isEqualTo(condFresh.body().replace(fresh, "ID"));
    }
}
