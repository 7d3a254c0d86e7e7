package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Deny by default: no token → 401, wrong role → 403, someone else's patient → refused. */
class AuthorizationIT {

    static Clinic clinic;
    static ClinLoopClient api;
    static String okaforPatient;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        clinic.registerPatient(Clinic.JONES_ID, "Jones", "Pat", "female", "1961-04-02", "dr-rivera");
        clinic.registerPatient(Clinic.LEE_ID, "Lee", "Sam", "male", "1958-09-17", "dr-rivera");
        okaforPatient = ItEnvironment.newPatient(Clinic.OKAFOR, "dr-okafor", 2, null);
    }

    @ParameterizedTest(name = "{0} {1} without a token")
    @CsvSource({
        "GET, /api/tasks",
        "GET, /api/audit/verify",
        "GET, /api/audit/entries",
        "GET, /api/models",
        "GET, /api/me/adjustments",
        "GET, /api/patients/demo-jones/bounds",
        "GET, /fhir/Observation?patient=demo-jones",
        "GET, /fhir/Patient/demo-jones",
        "GET, /fhir/Task?patient=demo-jones",
        "POST, /fhir/Observation",
        "POST, /api/models/titration-lr-1/activate",
        "POST, /api/models/titration-lr-1/shadow",
        "POST, /api/models/rollback",
        "GET, /api/models/titration-lr-1/agreement",
        "GET, /api/models/titration-lr-1/drift",
        "GET, /api/models/feedback",
        "POST, /api/models/retrain?seed=1",
        "GET, /fhir/Patient?name=Jones",
        "GET, /fhir/Goal/bp-demo-jones",
        "GET, /fhir/Provenance/decision-1",
        "POST, /fhir/MedicationRequest",
        "POST, /fhir",
    })
    void noTokenIs401(String method, String path) {
        ClinLoopClient.Reply r = "GET".equals(method) ? api.get(path, null)
                : api.post(path, null, ClinLoopClient.FHIR_JSON, "{}");
        assertThat(r.status()).as(method + " " + path).isEqualTo(401);
    }

    @Test
    void aForgedTokenIs401() {
        String token = clinic.clinician(Clinic.RIVERA);
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        assertThat(api.get("/api/tasks", forged).status()).isEqualTo(401);
    }

    @Test
    void theWrongRoleIs403() {
        assertThat(api.get("/api/tasks", clinic.patient(Clinic.JONES)).status()).isEqualTo(403);
        assertThat(api.get("/api/audit/verify", clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(403);
        assertThat(api.get("/api/models", clinic.patient(Clinic.JONES)).status()).isEqualTo(403);
        assertThat(api.post("/api/models/titration-lr-1/activate", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{}").status()).isEqualTo(403);
        assertThat(api.post("/fhir/Observation", clinic.compliance(), ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(Clinic.JONES_ID, Instant.now(), 140, 90).toString()).status()).isEqualTo(403);
        assertThat(api.get("/api/me/adjustments", clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(403);
        // Prescriptions come from the EHR only: a patient's app may not write one, even its own.
        assertThat(api.post("/fhir/MedicationRequest", clinic.patient(Clinic.JONES), ClinLoopClient.FHIR_JSON,
                "{\"resourceType\":\"MedicationRequest\",\"status\":\"active\",\"intent\":\"order\","
                        + "\"subject\":{\"reference\":\"Patient/" + Clinic.JONES_ID + "\"}}").status()).isEqualTo(403);
        assertThat(api.post("/api/models/rollback", clinic.compliance(), ClinLoopClient.JSON_TYPE,
                "{\"reason\":\"not mine to decide\"}").status()).isEqualTo(403);
        assertThat(api.get("/api/models/titration-lr-1/agreement", clinic.clinician(Clinic.RIVERA)).status())
                .isEqualTo(403);
        assertThat(api.get("/api/models/titration-lr-1/drift", clinic.patient(Clinic.JONES)).status()).isEqualTo(403);
        assertThat(api.get("/api/models/feedback", clinic.patient(Clinic.JONES)).status()).isEqualTo(403);
        assertThat(api.post("/api/models/retrain?seed=1", clinic.compliance(), ClinLoopClient.JSON_TYPE, "").status())
                .as("compliance reads the feedback but does not retrain").isEqualTo(403);
        assertThat(api.get("/fhir/Provenance/decision-1", clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(403);
        assertThat(api.get("/fhir/Goal/bp-" + okaforPatient, clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(403);
        assertThat(api.put("/fhir/Patient/it-forbidden", clinic.clinician(Clinic.RIVERA), ClinLoopClient.FHIR_JSON,
                FhirJson.patient("it-forbidden", "A", "B", "male", "1970-01-01", "dr-rivera").toString()).status())
                .isEqualTo(403);
    }

    @Test
    void aPatientSeesOnlyTheirOwnRecord() {
        String jones = clinic.patient(Clinic.JONES);
        assertThat(api.get("/fhir/Patient/" + Clinic.JONES_ID, jones).status()).isEqualTo(200);
        assertThat(api.get("/fhir/Patient/" + Clinic.LEE_ID, jones).status())
                .as("a record by id the caller may not read is answered as a missing one").isEqualTo(404);
        assertThat(api.get("/fhir/Observation?patient=" + Clinic.LEE_ID, jones).status()).isEqualTo(403);
        assertThat(api.get("/api/patients/" + Clinic.LEE_ID + "/adjustments", jones).status()).isEqualTo(403);
        assertThat(api.get("/fhir/MedicationRequest?patient=" + Clinic.LEE_ID, jones).status()).isEqualTo(403);
        assertThat(api.post("/fhir/Observation", jones, ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(Clinic.LEE_ID, ItEnvironment.hoursAgo(1), 140, 90).toString()).status())
                .as("a patient may not submit readings for someone else").isEqualTo(403);
    }

    @Test
    void aClinicianActsOnlyForTheirPanel() {
        String okafor = clinic.clinician(Clinic.OKAFOR);
        assertThat(api.post("/api/patients/" + Clinic.JONES_ID + "/bounds", okafor, ClinLoopClient.JSON_TYPE,
                ItEnvironment.autonomous().toString()).status()).isEqualTo(403);
        assertThat(api.get("/fhir/Patient/" + Clinic.JONES_ID, okafor).status()).isEqualTo(404);

        expect(clinic.postReading(okaforPatient, ItEnvironment.hoursAgo(1), 150, 95), 201);
        String task = expect(api.get("/fhir/Task?patient=" + okaforPatient, okafor), 200).json()
                .get("entry").get(0).get("resource").get("id").asText();
        assertThat(api.post("/api/tasks/" + task + "/approve", clinic.clinician(Clinic.RIVERA), ClinLoopClient.JSON_TYPE,
                "{}").status()).as("another clinician's patient's task, answered as a missing one").isEqualTo(404);
        assertThat(api.get("/api/tasks", clinic.clinician(Clinic.RIVERA)).body()).doesNotContain(task);
        assertThat(api.get("/api/tasks", okafor).body()).contains(task);
    }

    /**
     * Guessing ids tells nothing: someone else's record by id is answered exactly as a record that
     * does not exist (same status, same code, the same words but for the id), for every kind a
     * caller can read by id.
     */
    @Test
    void anotherPatientsRecordByIdIsAnsweredAsAMissingOne() throws Exception {
        String jones = clinic.patient(Clinic.JONES);
        String okafor = clinic.clinician(Clinic.OKAFOR);
        String lee = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        String leeReading = expect(clinic.postReading(lee, ItEnvironment.hoursAgo(1), 150, 95), 201).json()
                .get("id").asText();
        String leeTask = null;
        for (int i = 0; i < 100 && leeTask == null; i++) { // the decision follows the reading within seconds
            JsonNode tasks = expect(api.get("/fhir/Task?patient=" + lee, clinic.clinician(Clinic.RIVERA)), 200).json();
            leeTask = tasks.has("entry") ? tasks.get("entry").get(0).get("resource").get("id").asText() : null;
            if (leeTask == null) {
                Thread.sleep(200);
            }
        }
        assertThat(leeTask).as("a task for the new patient").isNotNull();
        String missing = "does-not-exist-" + java.util.UUID.randomUUID();
        record Probe(String caller, String path, String id) {
        }
        for (Probe p : java.util.List.of(new Probe(jones, "/fhir/Patient/", lee), new Probe(okafor, "/fhir/Patient/", lee),
                new Probe(jones, "/fhir/Observation/", leeReading), new Probe(okafor, "/fhir/Observation/", leeReading),
                new Probe(okafor, "/api/tasks/", leeTask))) {
            var hidden = api.get(p.path() + p.id(), p.caller());
            var absent = api.get(p.path() + missing, p.caller());
            assertThat(hidden.status()).as(p.path() + " of another patient: " + hidden).isEqualTo(absent.status())
                    .isEqualTo(404);
            assertThat(hidden.body().replace(p.id(), "ID")).as(p.path()).isEqualTo(absent.body().replace(missing, "ID"));
        }
        var approve = api.post("/api/tasks/" + leeTask + "/approve", okafor, ClinLoopClient.JSON_TYPE, "{}");
        var approveMissing = api.post("/api/tasks/" + missing + "/approve", okafor, ClinLoopClient.JSON_TYPE, "{}");
        assertThat(approve.status()).isEqualTo(approveMissing.status()).isEqualTo(404);
        assertThat(approve.body().replace(leeTask, "ID")).isEqualTo(approveMissing.body().replace(missing, "ID"));
    }

    @Test
    void theComplianceOfficerReadsButNeverWrites() {
        String compliance = clinic.compliance();
        assertThat(api.get("/api/audit/verify", compliance).status()).isEqualTo(200);
        assertThat(api.get("/api/patients/" + okaforPatient + "/adjustments", compliance).status()).isEqualTo(200);
        assertThat(api.put("/api/patients/" + okaforPatient + "/regimen", compliance, ClinLoopClient.JSON_TYPE,
                FhirJson.regimen(1).toString()).status()).isEqualTo(403);
    }
}
