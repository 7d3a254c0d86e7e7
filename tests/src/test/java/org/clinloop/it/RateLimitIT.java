package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.clinloop.client.KeycloakTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 6: each caller has a rate. A caller past it is answered 429 with Retry-After and
 * an OperationOutcome naming the limit, before anything is done with the request, and is served
 * again once it has waited that long; other callers are not held back.
 *
 * <p>The limit under test is a client's own rate, so that no other test is slowed: this test
 * creates an EHR system client of its own in Keycloak ({@value #CLIENT}), which the test server
 * gives 0.5 requests a second with bursts of 3 ({@code tests/src/test/liberty/config/server.xml},
 * {@code clinloop.limits.rate.client.clinloop-it-throttled.*}); every other caller keeps the defaults.
 */
class RateLimitIT {

    static final String CLIENT = "clinloop-it-throttled";
    static final int BURST = 3;

    static Clinic clinic;
    static ClinLoopClient api;
    static KeycloakAdmin admin;
    static String token;
    static String patient;

    @BeforeAll
    static void aClientOfItsOwn() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        admin = new KeycloakAdmin(ItEnvironment.KEYCLOAK);
        String secret = UUID.randomUUID().toString();
        admin.createSystemClient(CLIENT, secret, "ehr-system", KeycloakTokens.EHR_SCOPES);
        token = new KeycloakTokens(ItEnvironment.KEYCLOAK).clientCredentials(CLIENT, secret, KeycloakTokens.EHR_SCOPES);
    }

    @AfterAll
    static void removeTheClient() {
        if (admin != null) {
            admin.deleteClient(CLIENT);
        }
    }

    @Test
    void aClientPastItsRateIs429WithRetryAfterUntilItHasWaited() throws InterruptedException {
        // Its burst, then a refusal.
        int admitted = 0;
        ClinLoopClient.Reply refused = null;
        for (int i = 0; i < BURST + 5 && refused == null; i++) {
            ClinLoopClient.Reply r = api.get("/fhir/Patient/" + patient, token);
            if (r.status() == 429) {
                refused = r;
            } else {
                expect(r, 200);
                admitted++;
            }
        }
        assertThat(refused).as("a refusal after the burst of " + BURST + " (admitted " + admitted + ")").isNotNull();
        // At 0.5 a second, a slow machine may refill one token while the burst is sent.
        assertThat(admitted).isBetween(BURST, BURST + 1);
        assertThat(retryAfter(refused)).isBetween(1L, 2L);
        JsonNode issue = refused.json().get("issue").get(0);
        assertThat(refused.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(issue.get("code").asText()).isEqualTo("throttled");
        assertThat(issue.get("diagnostics").asText())
                .contains("at most 0.5 requests a second (bursts of 3) from EHR system " + CLIENT)
                .contains("retry after " + retryAfter(refused) + " s");

        // Refused before any work: a reading sent now is not stored.
        String identifier = "rate-" + UUID.randomUUID();
        String reading = FhirJson.identified(FhirJson.bloodPressure(patient, Instant.now().minus(Duration.ofMinutes(5)),
                141, 88), "urn:clinloop:it-gateway", identifier).toString();
        ClinLoopClient.Reply write = api.post("/fhir/Observation", token, ClinLoopClient.FHIR_JSON, reading);
        assertThat(write.status()).as(write.toString()).isEqualTo(429);
        assertThat(readingsOf(patient)).as("the refused reading was not stored").isZero();

        // Others are not held back, and the CapabilityStatement is not counted; a token that does not
        // verify is still 401, whoever it claims to be.
        expect(api.get("/fhir/Patient/" + patient, clinic.ehr()), 200);
        assertThat(api.get("/fhir/Patient/" + patient, token + "x").status()).isEqualTo(401);
        expect(api.get("/fhir/metadata", token), 200);
        expect(api.get("/health/ready", null), 200);

        // Once it has waited as long as it was told, it is served.
        Thread.sleep(retryAfter(write) * 1000);
        ClinLoopClient.Reply served = api.post("/fhir/Observation", token, ClinLoopClient.FHIR_JSON, reading);
        assertThat(served.status()).as(served.toString()).isEqualTo(201);
        assertThat(readingsOf(patient)).isEqualTo(1);
    }

    private static long retryAfter(ClinLoopClient.Reply r) {
        return Long.parseLong(r.headers().firstValue("Retry-After")
                .orElseThrow(() -> new AssertionError("expected a Retry-After header, found none: " + r)));
    }

    private static int readingsOf(String patient) {
        return expect(api.get("/fhir/Observation?patient=" + patient, clinic.ehr()), 200).json().get("total").asInt();
    }
}
