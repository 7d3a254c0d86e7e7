package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 1: a patient could clear a contraindication by sending a normal lab value after
 * the EHR's abnormal one. Now labs and pregnancy status come from EHR systems and clinicians only
 * (a patient's is 403 with an OperationOutcome, and recorded), the EHR's potassium keeps blocking
 * an increase, and a patient's own blood pressure reads back as patient-entered. Sam Lee's account
 * is the patient user here (no other suite decides on Lee's readings).
 */
class ProvenanceIT {

    static final String SOURCE_TAGS = "https://clinloop.org/fhir/CodeSystem/observation-source";
    static Clinic clinic;
    static ClinLoopClient api;
    static String lee;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        clinic.registerPatient(Clinic.LEE_ID, "Lee", "Sam", "male", "1958-09-17", "dr-rivera");
        lee = clinic.patient(Clinic.LEE);
    }

    static ClinLoopClient.Reply asLee(ObjectNode resource) {
        return api.post("/fhir/" + resource.get("resourceType").asText(), lee, ClinLoopClient.FHIR_JSON, resource.toString());
    }

    @Test
    void aPatientsPotassiumIsRefusedAndTheEhrsKeepsBlockingAnIncrease() {
        clinic.setRegimen(Clinic.LEE_ID, Clinic.RIVERA, 2);
        clinic.signBounds(Clinic.LEE_ID, Clinic.RIVERA, FhirJson.bounds(0, 4, 1, 100, 0.6, true));
        expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON, FhirJson.quantity(Clinic.LEE_ID,
                ItEnvironment.hoursAgo(30), "2823-3", "laboratory", 6.3, "mmol/L").toString()), 201);

        // The patient's "potassium 4.0": 403, an OperationOutcome that says what was expected and found, recorded.
        ClinLoopClient.Reply refused = asLee(FhirJson.quantity(Clinic.LEE_ID, ItEnvironment.hoursAgo(20), "2823-3",
                "laboratory", 4.0, "mmol/L"));
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        JsonNode issue = refused.json().get("issue").get(0);
        assertThat(refused.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(issue.get("code").asText()).isEqualTo("forbidden");
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Observation.code");
        assertThat(issue.get("diagnostics").asText())
                .contains("expected potassium (LOINC 2823-3) from EHR system or clinician")
                .contains("found one sent by " + Clinic.LEE + " as patient");
        JsonNode rejected = ItEnvironment.lastEntry(Clinic.LEE_ID, "OBSERVATION_REJECTED");
        assertThat(rejected.at("/problems/0/code").asText()).isEqualTo("forbidden");

        // Nor pregnancy status or eGFR, nor inside a transaction or a batch.
        assertThat(asLee(FhirJson.pregnancyStatus(Clinic.LEE_ID, ItEnvironment.hoursAgo(20), false)).status()).isEqualTo(403);
        assertThat(asLee(FhirJson.quantity(Clinic.LEE_ID, ItEnvironment.hoursAgo(20), "33914-3", "laboratory", 90,
                "mL/min/{1.73_m2}")).status()).isEqualTo(403);
        ObjectNode potassium = FhirJson.quantity(Clinic.LEE_ID, ItEnvironment.hoursAgo(19), "2823-3", "laboratory", 4.0,
                "mmol/L");
        ObjectNode pressure = FhirJson.bloodPressure(Clinic.LEE_ID, ItEnvironment.hoursAgo(6), 150, 95);
        ClinLoopClient.Reply tx = api.post("/fhir", lee, ClinLoopClient.FHIR_JSON,
                FhirJson.transaction(List.of(pressure, potassium)).toString());
        assertThat(tx.status()).as(tx.body()).isEqualTo(403);
        assertThat(tx.json().at("/issue/0/expression/0").asText()).isEqualTo("Bundle.entry[1].resource.code");
        JsonNode batch = expect(api.post("/fhir", lee, ClinLoopClient.FHIR_JSON,
                FhirJson.batch(List.of(pressure, potassium)).toString()), 200).json();
        assertThat(batch.at("/entry/0/response/status").asText()).isEqualTo("201 Created");
        assertThat(batch.at("/entry/1/response/status").asText()).startsWith("403");
        assertThat(batch.at("/entry/1/response/outcome/issue/0/expression/0").asText())
                .isEqualTo("Bundle.entry[1].resource.code");

        // What is stored: the EHR's 6.3 only, tagged as the EHR's.
        JsonNode labs = expect(api.get("/fhir/Observation?patient=" + Clinic.LEE_ID + "&code=2823-3",
                clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(labs.get("total").asInt()).isEqualTo(1);
        JsonNode stored = labs.at("/entry/0/resource");
        assertThat(stored.at("/valueQuantity/value").asDouble()).isEqualTo(6.3);
        assertThat(sourceTag(stored)).isEqualTo("ehr-system");

        // A reading from the EHR: its decision (made now or shortly after) still sees the EHR's potassium.
        String reading = expect(clinic.postReading(Clinic.LEE_ID, ItEnvironment.hoursAgo(1), 151, 94), 201)
                .json().get("id").asText();
        JsonNode decided = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> decisionOn(reading), Optional::isPresent).orElseThrow();
        assertThat(decided.get("tier").asText()).as(decided.toString()).isEqualTo("BLOCKED");
        assertThat(ItEnvironment.ruleNames(decided)).contains("Potassium too high for an increase");
        assertThat(decided.at("/context/clinical/potassium").asText()).isEqualTo("6.3");
        assertThat(decided.get("rulesFired").toString()).contains("found 6.3 (ehr-system at ");
    }

    @Test
    void aPatientsOwnBloodPressureReadsBackAsPatientEnteredAndTheirSymptomIsAccepted() {
        JsonNode created = expect(asLee(FhirJson.bloodPressure(Clinic.LEE_ID, ItEnvironment.hoursAgo(50), 138, 86)), 201)
                .json();
        String id = created.get("id").asText();
        JsonNode read = expect(api.get("/fhir/Observation/" + id, clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(sourceTag(read)).isEqualTo("patient");
        assertThat(read.toString()).contains("patient-entered");
        assertThat(sourceTag(expect(api.get("/fhir/Observation/" + id, lee), 200).json())).isEqualTo("patient");
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> entry(Clinic.LEE_ID, "OBSERVATION_ACCEPTED", "observation", id).isPresent());
        assertThat(entry(Clinic.LEE_ID, "OBSERVATION_ACCEPTED", "observation", id).orElseThrow().get("source").asText())
                .isEqualTo("patient");

        // A sender's own claim to be the EHR is replaced, never believed.
        ObjectNode forged = FhirJson.quantity(Clinic.LEE_ID, ItEnvironment.hoursAgo(49), "8867-4", "vital-signs", 64, "/min");
        forged.putObject("meta").putArray("tag").addObject().put("system", SOURCE_TAGS).put("code", "ehr-system");
        String forgedId = expect(asLee(forged), 201).json().get("id").asText();
        assertThat(sourceTag(expect(api.get("/fhir/Observation/" + forgedId, lee), 200).json())).isEqualTo("patient");

        // A patient may report a symptom (it can add a contraindication, never clear one).
        expect(asLee(FhirJson.symptom(Clinic.LEE_ID, ItEnvironment.hoursAgo(70), "49727002", "Cough")), 201);
    }

    /** The code of the observation-source tag on a stored Observation. */
    static String sourceTag(JsonNode observation) {
        for (JsonNode tag : observation.at("/meta/tag")) {
            if (SOURCE_TAGS.equals(tag.get("system").asText())) {
                return tag.get("code").asText();
            }
        }
        throw new AssertionError("expected a tag of " + SOURCE_TAGS + ", found " + observation.at("/meta"));
    }

    /** The TIER_DECIDED entry of the proposal made on {@code observation}, once there is one. */
    static Optional<JsonNode> decisionOn(String observation) {
        return entry(Clinic.LEE_ID, "PROPOSAL_MADE", "observation", observation)
                .flatMap(p -> entry(Clinic.LEE_ID, "TIER_DECIDED", "proposal", p.get("proposal").asText()));
    }

    /** The detail of the newest audit entry of {@code type} whose {@code key} is {@code value}. */
    static Optional<JsonNode> entry(String patient, String type, String key, String value) {
        JsonNode entries = expect(api.get("/api/audit/entries?patient=" + patient + "&type=" + type + "&limit=50",
                clinic.compliance()), 200).json();
        for (JsonNode e : entries) {
            try {
                JsonNode detail = new ObjectMapper().readTree(e.get("detailJson").asText());
                if (value.equals(detail.path(key).asText())) {
                    return Optional.of(detail);
                }
            } catch (IOException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return Optional.empty();
    }
}
