package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.clinloop.client.KeycloakTokens;
import org.clinloop.client.SystemKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMART Backend Services (issue 14, hole 3): one client per system, each authenticated by a JWT it
 * signs with its own key (private_key_jwt against the JWKS registered for it), each held to the
 * SMART system scopes its token was granted, before any work; and a patient moves to another
 * clinician's panel only by that clinician's hand-over, never by an EHR.
 */
class SmartBackendIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String EHR = "clinloop-it-ehr-" + UUID.randomUUID().toString().substring(0, 8);
    static Clinic clinic;
    static ClinLoopClient api;
    static KeycloakAdmin admin;
    static KeycloakTokens keycloak;
    static SystemKey ehrKey;

    /** An EHR client of the test's own: its JWKS registered through Keycloak's admin API, its key only here. */
    @BeforeAll
    static void anEhrOfItsOwn() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        admin = new KeycloakAdmin(ItEnvironment.KEYCLOAK);
        keycloak = new KeycloakTokens(ItEnvironment.KEYCLOAK);
        KeyPair pair = SystemKey.generate();
        String kid = "it-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createJwtClient(EHR, SystemKey.jwks(kid, (RSAPublicKey) pair.getPublic()), "ehr-system",
                KeycloakTokens.EHR_SCOPES);
        ehrKey = new SystemKey(EHR, kid, pair.getPrivate());
    }

    @AfterAll
    static void removeTheClient() {
        if (admin != null) {
            admin.deleteClient(EHR);
        }
    }

    @Test
    void aSystemSignsInWithItsOwnKeyAndOnlyWithIt() {
        String token = keycloak.systemToken(ehrKey, List.of("system/Patient.rs"));
        assertThat(KeycloakTokens.grantedScopes(token)).containsExactly("system/Patient.rs");

        // The same client id, a key it never registered: Keycloak refuses the assertion.
        SystemKey impostor = new SystemKey(EHR, ehrKey.keyId(), SystemKey.generate().getPrivate());
        assertThatThrownBy(() -> keycloak.systemToken(impostor, List.of("system/Patient.rs")))
                .hasMessageContaining("refused").hasMessageContaining("invalid_client");
        // And no secret opens it.
        assertThatThrownBy(() -> keycloak.clientCredentials(EHR, "a-guessed-secret"))
                .hasMessageContaining("refused");
        // The shipped EHR client has no secret either: the one that did everything is gone.
        assertThatThrownBy(() -> keycloak.clientCredentials(KeycloakTokens.EHR_CLIENT, "any-secret"))
                .hasMessageContaining("refused");
    }

    @Test
    void aSystemFindsHowToSignInWithoutAToken() {
        JsonNode smart = expect(api.get("/fhir/.well-known/smart-configuration", null), 200).json();
        assertThat(smart.get("token_endpoint").asText())
                .isEqualTo(ItEnvironment.KEYCLOAK + "/realms/clinloop/protocol/openid-connect/token");
        assertThat(texts(smart.get("token_endpoint_auth_methods_supported"))).containsExactly("private_key_jwt");
        assertThat(texts(smart.get("token_endpoint_auth_signing_alg_values_supported"))).containsExactly("RS384");
        assertThat(texts(smart.get("grant_types_supported"))).containsExactly("client_credentials");
        assertThat(texts(smart.get("scopes_supported"))).containsAll(KeycloakTokens.EHR_SCOPES);
    }

    @Test
    void aGatewayMaySendObservationsAndNothingElse() throws IOException {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        String gateway = clinic.gateway();
        assertThat(KeycloakTokens.grantedScopes(gateway)).containsExactly("system/Observation.c");

        expect(api.post("/fhir/Observation", gateway, ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(2), 138, 86).toString()), 201);

        refusedNaming(api.get("/fhir/Patient/" + patient, gateway), "system/Patient.r", "system/Observation.c");
        refusedNaming(api.get("/fhir/Observation?patient=" + patient, gateway), "system/Observation.s",
                "system/Observation.c");
        ClinLoopClient.Reply first = expect(api.get("/fhir/Observation?patient=" + patient, clinic.ehr()), 200);
        String observation = first.json().get("entry").get(0).get("resource").get("id").asText();
        refusedNaming(api.get("/fhir/Observation/" + observation, gateway), "system/Observation.r",
                "system/Observation.c");
        refusedNaming(api.put("/fhir/Patient/" + patient, gateway, ClinLoopClient.FHIR_JSON,
                FhirJson.patient(patient, "Test", "Patient", "unknown", "1960-01-01", "dr-rivera").toString()),
                "system/Patient.u", "system/Observation.c");
        // A transaction is refused whole when one entry is not allowed; nothing of it is stored.
        String newcomer = "it-" + UUID.randomUUID().toString().substring(0, 12);
        ObjectNode transaction = FhirJson.transaction(List.of(
                FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(1), 139, 87),
                FhirJson.patient(newcomer, "New", "Comer", "unknown", "1970-01-01", "dr-rivera")));
        JsonNode outcome = refusedNaming(api.post("/fhir", gateway, ClinLoopClient.FHIR_JSON, transaction.toString()),
                "system/Patient.c", "system/Observation.c");
        assertThat(outcome.get("issue")).hasSize(1);
        assertThat(outcome.get("issue").get(0).get("expression").get(0).asText()).isEqualTo("Bundle.entry[1]");
        assertThat(api.get("/fhir/Patient/" + newcomer, clinic.ehr()).status()).isEqualTo(404);
        assertThat(expect(api.get("/fhir/Observation?patient=" + patient, clinic.ehr()), 200).json().get("total").asInt())
                .isEqualTo(1);

        // Each refusal is recorded: the client, the request, the scope it needed and those it had.
        JsonNode refused = newestDetail("type=SCOPE_REFUSED&actor=service-account-" + KeycloakTokens.GATEWAY_CLIENT);
        assertThat(refused.get("client").asText()).isEqualTo(KeycloakTokens.GATEWAY_CLIENT);
        assertThat(refused.get("request").asText()).isEqualTo("POST /fhir");
        assertThat(refused.get("refused").get(0).get("entry").asInt()).isEqualTo(1);
        assertThat(refused.get("refused").get(0).get("needed").asText()).isEqualTo("system/Patient.c");
        assertThat(texts(refused.get("granted"))).containsExactly("system/Observation.c");
    }

    @Test
    void aGatewaysReadingsAreMarkedAsTheGatewaysAndItMayNotAssertALab() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        String gateway = clinic.gateway();
        expect(api.post("/fhir/Observation", gateway, ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(2), 136, 84).toString()), 201);
        JsonNode stored = expect(api.get("/fhir/Observation?patient=" + patient, clinic.ehr()), 200).json()
                .get("entry").get(0).get("resource");
        assertThat(stored.at("/meta/tag").toString()).contains("device-gateway").contains("wearable gateway");

        // A potassium (which could clear a contraindication) is not a device measurement: 403, nothing stored.
        ClinLoopClient.Reply lab = api.post("/fhir/Observation", gateway, ClinLoopClient.FHIR_JSON, FhirJson.quantity(
                patient, ItEnvironment.hoursAgo(1), "2823-3", "laboratory", 4.0, "mmol/L").toString());
        assertThat(lab.status()).as(lab.body()).isEqualTo(403);
        assertThat(lab.body()).contains("potassium").contains("as device-gateway").contains("not labs");
        assertThat(expect(api.get("/fhir/Observation?patient=" + patient, clinic.ehr()), 200).json().get("total").asInt())
                .isEqualTo(1);
    }

    @Test
    void anEhrWithoutPatientUpdateMayNotUpdateAPatient() throws IOException {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        List<String> allButUpdate = new ArrayList<>(KeycloakTokens.EHR_SCOPES);
        allButUpdate.remove("system/Patient.u");
        String token = keycloak.systemToken(ehrKey, allButUpdate);
        String sameAgain = FhirJson.patient(patient, "Renamed", "Patient", "unknown", "1960-01-01", "dr-rivera").toString();

        expect(api.get("/fhir/Patient/" + patient, token), 200);
        refusedNaming(api.put("/fhir/Patient/" + patient, token, ClinLoopClient.FHIR_JSON, sameAgain), "system/Patient.u",
                "system/Patient.rs");
        assertThat(expect(api.get("/fhir/Patient/" + patient, token), 200).json().at("/name/0/family").asText())
                .isEqualTo("Test");
        // In a batch the entry is refused and the others go on.
        ObjectNode batch = FhirJson.batch(List.of(FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(3), 141, 88),
                JSON.readValue(sameAgain, ObjectNode.class)));
        ((ObjectNode) batch.get("entry").get(1).get("request")).put("method", "PUT").put("url", "Patient/" + patient);
        JsonNode answer = expect(api.post("/fhir", token, ClinLoopClient.FHIR_JSON, batch.toString()), 200).json();
        assertThat(answer.at("/entry/0/response/status").asText()).startsWith("201");
        assertThat(answer.at("/entry/1/response/status").asText()).startsWith("403");
        assertThat(answer.at("/entry/1/response/outcome/issue/0/diagnostics").asText()).contains("system/Patient.u");
        JsonNode refused = newestDetail("type=SCOPE_REFUSED&actor=service-account-" + EHR);
        assertThat(refused.get("refused").get(0).get("needed").asText()).isEqualTo("system/Patient.u");

        // With the scope, the same update goes through.
        String withUpdate = keycloak.systemToken(ehrKey, List.of("system/Patient.u"));
        expect(api.put("/fhir/Patient/" + patient, withUpdate, ClinLoopClient.FHIR_JSON, sameAgain), 200);
    }

    @Test
    void aTokenWithoutScopesIsRefusedNamingTheScopeNeeded() throws IOException {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        String bare = keycloak.systemToken(ehrKey, List.of());
        assertThat(KeycloakTokens.grantedScopes(bare)).noneMatch(s -> s.startsWith("system/"));

        JsonNode outcome = refusedNaming(api.post("/fhir/Observation", bare, ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(2), 150, 95).toString()), "system/Observation.c",
                null);
        assertThat(outcome.at("/issue/0/diagnostics").asText()).endsWith("found the system scopes granted: none.");
        refusedNaming(api.get("/fhir/Patient?name=Test", bare), "system/Patient.s", null);
        // What needs no scope still answers.
        expect(api.get("/fhir/metadata", bare), 200);
        assertThat(expect(api.get("/fhir/Observation?patient=" + patient, clinic.ehr()), 200).json().get("total").asInt())
                .as("nothing was stored").isZero();
        JsonNode refused = newestDetail("type=SCOPE_REFUSED&actor=service-account-" + EHR);
        assertThat(refused.get("granted")).isEmpty();
    }

    @Test
    void anEhrMayNotMoveAPatientToAnotherClinician() throws IOException {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        ClinLoopClient.Reply moved = api.put("/fhir/Patient/" + patient, clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.patient(patient, "Test", "Patient", "unknown", "1960-01-01", "dr-okafor").toString());
        assertThat(moved.status()).as(moved.body()).isEqualTo(403);
        assertThat(moved.json().at("/issue/0/diagnostics").asText()).contains("Patient.generalPractitioner")
                .contains("/api/patients/" + patient + "/clinician");
        // Nor by leaving the field out, nor inside a batch.
        ObjectNode without = FhirJson.patient(patient, "Test", "Patient", "unknown", "1960-01-01", "dr-rivera");
        without.remove("generalPractitioner");
        assertThat(api.put("/fhir/Patient/" + patient, clinic.ehr(), ClinLoopClient.FHIR_JSON, without.toString())
                .status()).isEqualTo(403);
        ObjectNode batch = FhirJson.batch(List.of(FhirJson.patient(patient, "Test", "Patient", "unknown", "1960-01-01",
                "dr-okafor")));
        ((ObjectNode) batch.get("entry").get(0).get("request")).put("method", "PUT").put("url", "Patient/" + patient);
        assertThat(expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, batch.toString()), 200).json()
                .at("/entry/0/response/status").asText()).startsWith("403");

        // Still Rivera's patient, not Okafor's.
        expect(api.get("/api/patients/" + patient + "/regimen", clinic.clinician(Clinic.RIVERA)), 200);
        assertThat(api.get("/api/patients/" + patient + "/regimen", clinic.clinician(Clinic.OKAFOR)).status())
                .isIn(403, 404);
        JsonNode refused = ItEnvironment.lastEntry(patient, "CARE_TEAM_CHANGE_REFUSED");
        assertThat(refused.get("current").asText()).isEqualTo("dr-rivera");
        assertThat(refused.get("sent").asText()).isEqualTo("dr-okafor");
    }

    @Test
    void theResponsibleClinicianHandsAPatientOverAndItIsAudited() throws IOException {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        String body = "{\"practitioner\":\"dr-okafor\",\"reason\":\"Moves to the north clinic\"}";

        // Not the responsible clinician, not a clinician, no reason: refused.
        assertThat(api.put("/api/patients/" + patient + "/clinician", clinic.clinician(Clinic.OKAFOR),
                ClinLoopClient.JSON_TYPE, "{\"practitioner\":\"dr-okafor\",\"reason\":\"mine now\"}").status()).isEqualTo(404);
        assertThat(api.put("/api/patients/" + patient + "/clinician", clinic.ehr(), ClinLoopClient.JSON_TYPE, body)
                .status()).isEqualTo(403);
        assertThat(api.put("/api/patients/" + patient + "/clinician", clinic.compliance(), ClinLoopClient.JSON_TYPE, body)
                .status()).isEqualTo(403);
        assertThat(api.put("/api/patients/" + patient + "/clinician", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{\"practitioner\":\"dr-okafor\"}").status()).isIn(400, 422);

        JsonNode handed = expect(api.put("/api/patients/" + patient + "/clinician", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, body), 200).json();
        assertThat(handed.get("practitioner").asText()).isEqualTo("dr-okafor");

        JsonNode read = expect(api.get("/fhir/Patient/" + patient, clinic.clinician(Clinic.OKAFOR)), 200).json();
        assertThat(read.at("/generalPractitioner/0/reference").asText()).isEqualTo("Practitioner/dr-okafor");
        assertThat(api.get("/fhir/Patient/" + patient, clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(404);
        expect(api.get("/api/patients/" + patient + "/regimen", clinic.clinician(Clinic.OKAFOR)), 200);

        JsonNode changed = ItEnvironment.lastEntry(patient, "CARE_TEAM_CHANGED");
        assertThat(changed.get("from").asText()).isEqualTo("dr-rivera");
        assertThat(changed.get("to").asText()).isEqualTo("dr-okafor");
        assertThat(changed.get("reason").asText()).isEqualTo("Moves to the north clinic");
        JsonNode entry = expect(api.get("/api/audit/entries?patient=" + patient + "&type=CARE_TEAM_CHANGED&limit=1",
                clinic.compliance()), 200).json().get(0);
        assertThat(entry.toString()).contains(Clinic.RIVERA);

        // The EHR's next update names the new clinician and goes through; the old one is refused.
        expect(api.put("/fhir/Patient/" + patient, clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.patient(patient, "Test", "Patient", "unknown", "1960-01-01", "dr-okafor").toString()), 200);
        assertThat(api.put("/fhir/Patient/" + patient, clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.patient(patient, "Test", "Patient", "unknown", "1960-01-01", "dr-rivera").toString()).status())
                .isEqualTo(403);
    }

    /** A 403 whose OperationOutcome names the scope needed and (unless null) a scope granted; returns the outcome. */
    private static JsonNode refusedNaming(ClinLoopClient.Reply reply, String needed, String granted) throws IOException {
        assertThat(reply.status()).as(reply.body()).isEqualTo(403);
        JsonNode outcome = reply.json();
        assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
        String diagnostics = outcome.at("/issue/0/diagnostics").asText();
        assertThat(diagnostics).contains("Expected the SMART scope " + needed + " ");
        if (granted != null) {
            assertThat(diagnostics).contains("found the system scopes granted: ").contains(granted);
        }
        return outcome;
    }

    private static JsonNode newestDetail(String query) throws IOException {
        JsonNode entries = expect(api.get("/api/audit/entries?" + query + "&limit=1", clinic.compliance()), 200).json();
        assertThat(entries).as(query).hasSize(1);
        return JSON.readTree(entries.get(0).get("detailJson").asText());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
