package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.clinloop.client.KeycloakTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 4: every read of patient data leaves one audit entry naming who read it, which
 * patients, what was asked and how it ended; refused reads, bad tokens and wrong passwords at
 * Keycloak are recorded too; compliance officers find them and write nothing.
 */
class PatientDataReadsIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static Clinic clinic;
    static ClinLoopClient api;
    static String patient;
    static String other;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        clinic.registerPatient(Clinic.JONES_ID, "Jones", "Pat", "female", "1961-04-02", "dr-rivera");
        clinic.registerPatient(Clinic.LEE_ID, "Lee", "Sam", "male", "1958-09-17", "dr-rivera");
        patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        other = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        List<ObjectNode> readings = new ArrayList<>();
        for (int h = 5; h >= 1; h--) {
            readings.add(FhirJson.quantity(patient, ItEnvironment.hoursAgo(h), "8867-4", "vital-signs", 60 + h, "/min"));
        }
        expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, FhirJson.transaction(readings).toString()), 200);
    }

    /** PATIENT_DATA_READ entries by {@code actor} (about {@code about}, when given), newest first. */
    static List<JsonNode> reads(String actor, String about) {
        JsonNode entries = expect(api.get("/api/audit/entries?type=PATIENT_DATA_READ&actor=" + actor
                + (about == null ? "" : "&patient=" + about) + "&limit=1000", clinic.compliance()), 200).json();
        List<JsonNode> out = new ArrayList<>();
        entries.forEach(out::add);
        return out;
    }

    static JsonNode detail(JsonNode entry) {
        try {
            return JSON.readTree(entry.get("detailJson").asText());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    @Test
    void aCliniciansSearchAndReadLeaveOneEntryEachNamingThePatientAndTheQuery() {
        String rivera = clinic.clinician(Clinic.RIVERA);
        int before = reads(Clinic.RIVERA, patient).size();

        JsonNode page = expect(api.get("/fhir/Observation?patient=" + patient + "&code=http://loinc.org%7C8867-4&_count=2",
                rivera), 200).json();
        List<JsonNode> after = reads(Clinic.RIVERA, patient);
        assertThat(after).as("one entry for one search").hasSize(before + 1);
        JsonNode entry = after.get(0);
        assertThat(entry.get("actorId").asText()).isEqualTo(Clinic.RIVERA);
        assertThat(entry.get("patientId").asText()).isEqualTo(patient);
        JsonNode search = detail(entry);
        assertThat(search.get("interaction").asText()).isEqualTo("search-type");
        assertThat(search.get("resource").asText()).isEqualTo("Observation");
        assertThat(search.get("request").asText()).isEqualTo("GET /fhir/Observation");
        assertThat(texts(search.get("query"))).containsExactly("_count=2", "code=http://loinc.org|8867-4",
                "patient=" + patient);
        assertThat(texts(search.get("patients"))).containsExactly(patient);
        assertThat(search.get("returned").asInt()).isEqualTo(2);
        String first = page.get("entry").get(0).get("resource").get("id").asText();
        assertThat(texts(search.get("ids"))).contains("Observation/" + first).hasSize(2);
        assertThat(texts(search.get("roles"))).contains("clinician");
        assertThat(search.get("client").asText()).isEqualTo(KeycloakTokens.DEVTOOLS_CLIENT);
        assertThat(search.get("outcome").asText()).isEqualTo("SUCCESS");

        expect(api.get("/fhir/Observation/" + first, rivera), 200);
        after = reads(Clinic.RIVERA, patient);
        assertThat(after).hasSize(before + 2);
        JsonNode read = detail(after.get(0));
        assertThat(read.get("interaction").asText()).isEqualTo("read");
        assertThat(texts(read.get("ids"))).containsExactly("Observation/" + first);
        assertThat(texts(read.get("patients"))).containsExactly(patient);
        assertThat(read.get("returned").asInt()).isEqualTo(1);

        String next = null;
        for (JsonNode link : page.get("link")) {
            if ("next".equals(link.get("relation").asText())) {
                next = link.get("url").asText().substring(link.get("url").asText().indexOf("/fhir"));
            }
        }
        assertThat(next).as("a next page").isNotNull();
        expect(api.get(next, rivera), 200);
        after = reads(Clinic.RIVERA, patient);
        assertThat(after).as("a page is a read of its own").hasSize(before + 3);
        assertThat(detail(after.get(0)).get("interaction").asText()).isEqualTo("get-page");
    }

    @Test
    void aSearchNamingSeveralPatientsIsOneEntryListingThemAll() {
        // Dr Rivera's whole panel (the first page of it, as long as this suite has made it).
        JsonNode bundle = expect(api.get("/fhir/Patient", clinic.clinician(Clinic.RIVERA)), 200).json();
        List<String> returned = new ArrayList<>();
        bundle.get("entry").forEach(e -> returned.add(e.get("resource").get("id").asText()));
        assertThat(returned).hasSizeGreaterThanOrEqualTo(3);

        JsonNode entry = reads(Clinic.RIVERA, null).get(0);
        assertThat(entry.hasNonNull("patientId")).as("several patients: named in the detail only").isFalse();
        JsonNode search = detail(entry);
        assertThat(texts(search.get("patients"))).containsExactlyInAnyOrderElementsOf(returned);
        assertThat(search.get("returned").asInt()).isEqualTo(returned.size());

        expect(api.get("/api/tasks", clinic.clinician(Clinic.RIVERA)), 200);
        JsonNode queue = detail(reads(Clinic.RIVERA, null).get(0));
        assertThat(queue.get("resource").asText()).isEqualTo("/api/tasks");
        assertThat(queue.get("outcome").asText()).isEqualTo("SUCCESS");
    }

    @Test
    void aSearchThatFindsNothingStillNamesThePatientItAsksAbout() {
        int before = reads(Clinic.RIVERA, other).size();
        JsonNode empty = expect(api.get("/fhir/Observation?patient=" + other, clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(empty.path("entry").size()).isZero();
        List<JsonNode> after = reads(Clinic.RIVERA, other);
        assertThat(after).hasSize(before + 1);
        JsonNode search = detail(after.get(0));
        assertThat(texts(search.get("patients"))).containsExactly(other);
        assertThat(search.get("returned").asInt()).isZero();
        assertThat(search.get("outcome").asText()).isEqualTo("SUCCESS");
    }

    @Test
    void aPatientReadingTheirOwnAdjustmentsLeavesOneEntry() {
        int before = reads(Clinic.JONES, Clinic.JONES_ID).size();
        JsonNode mine = expect(api.get("/api/me/adjustments?limit=5", clinic.patient(Clinic.JONES)), 200).json();
        List<JsonNode> after = reads(Clinic.JONES, Clinic.JONES_ID);
        assertThat(after).hasSize(before + 1);
        JsonNode read = detail(after.get(0));
        assertThat(read.get("request").asText()).isEqualTo("GET /api/me/adjustments");
        assertThat(read.get("resource").asText()).isEqualTo("/api/me/adjustments");
        assertThat(texts(read.get("patients"))).containsExactly(Clinic.JONES_ID);
        assertThat(texts(read.get("query"))).containsExactly("limit=5");
        assertThat(read.get("returned").asInt()).isEqualTo(mine.size());
        assertThat(texts(read.get("roles"))).contains("patient");
    }

    @Test
    void aRefusedReadOfAnotherPatientsRecordIsRecordedAsRefused() {
        String jones = clinic.patient(Clinic.JONES);
        int before = reads(Clinic.JONES, Clinic.LEE_ID).size();
        assertThat(api.get("/fhir/Observation?patient=" + Clinic.LEE_ID, jones).status()).isEqualTo(403);
        assertThat(api.get("/api/patients/" + Clinic.LEE_ID + "/adjustments", jones).status()).isEqualTo(403);
        List<JsonNode> after = reads(Clinic.JONES, Clinic.LEE_ID);
        assertThat(after).hasSize(before + 2);
        JsonNode rest = detail(after.get(0));
        assertThat(rest.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(rest.get("status").asInt()).isEqualTo(403);
        assertThat(rest.get("returned").asInt()).isZero();
        assertThat(texts(rest.get("patients"))).containsExactly(Clinic.LEE_ID);
        JsonNode fhir = detail(after.get(1));
        assertThat(fhir.get("outcome").asText()).isEqualTo("REFUSED");
        assertThat(fhir.get("interaction").asText()).isEqualTo("search-type");
        assertThat(texts(fhir.get("query"))).containsExactly("patient=" + Clinic.LEE_ID);
    }

    @Test
    void aRecordByIdTheCallerMayNotReadIsAnsweredNotFoundAndRecordedAsRefused() {
        String jones = clinic.patient(Clinic.JONES);
        String leeReading = expect(clinic.postReading(Clinic.LEE_ID, ItEnvironment.hoursAgo(2), 138, 86), 201).json()
                .get("id").asText();
        int before = reads(Clinic.JONES, Clinic.LEE_ID).size();
        assertThat(api.get("/fhir/Observation/" + leeReading, jones).status()).isEqualTo(404);
        assertThat(api.get("/fhir/Patient/" + Clinic.LEE_ID, jones).status()).isEqualTo(404);
        List<JsonNode> after = reads(Clinic.JONES, Clinic.LEE_ID);
        assertThat(after).as("both hidden refusals are recorded against the patient whose record it was")
                .hasSize(before + 2);
        for (JsonNode entry : after.subList(0, 2)) {
            JsonNode read = detail(entry);
            assertThat(read.get("outcome").asText()).as(read.toString()).isEqualTo("REFUSED");
            assertThat(read.get("status").asInt()).isEqualTo(404);
            assertThat(read.get("returned").asInt()).isZero();
            assertThat(texts(read.get("patients"))).contains(Clinic.LEE_ID);
        }
    }

    static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** SIGN_IN_FAILED details recorded by {@code recorder} whose last attempt is at or after {@code since}. */
    static List<JsonNode> failures(String recorder, Instant since) {
        List<JsonNode> out = new ArrayList<>();
        expect(api.get("/api/audit/entries?type=SIGN_IN_FAILED&actor=" + recorder + "&limit=1000", clinic.compliance()),
                200).json().forEach(e -> {
                    JsonNode d = detail(e);
                    if (!Instant.parse(d.get("lastAt").asText()).isBefore(since)) {
                        out.add(d);
                    }
                });
        return out;
    }

    static List<JsonNode> awaitFailures(String recorder, Instant since, java.util.function.Predicate<JsonNode> match) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            List<JsonNode> found = failures(recorder, since).stream().filter(match).toList();
            if (!found.isEmpty() || Instant.now().isAfter(deadline)) {
                return found;
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void badTokensAreAnsweredWithAnOutcomeAndCountedAsFailedSignIns() {
        Instant start = Instant.now().minusMillis(1);
        String token = clinic.clinician(Clinic.RIVERA);
        String tampered = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA" + token.substring(token.lastIndexOf('.') + 5);
        for (int i = 0; i < 5; i++) {
            ClinLoopClient.Reply r = api.get("/fhir/Patient/" + Clinic.JONES_ID, tampered);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.body()).contains("OperationOutcome").contains("Expected a valid bearer token")
                    .contains("found a token whose signature, algorithm or audience is not accepted");
        }
        String expired = part("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + part("{\"iss\":\"x\",\"exp\":"
                + (Instant.now().getEpochSecond() - 60) + "}") + ".c2ln";
        assertThat(api.get("/api/tasks", expired).status()).isEqualTo(401);
        assertThat(api.get("/api/tasks", null).status()).isEqualTo(401);

        List<JsonNode> unverified = awaitFailures("system:sign-in-guard", start,
                d -> d.get("reason").asText().equals("unverified-token"));
        assertThat(unverified).isNotEmpty();
        assertThat(unverified.stream().mapToInt(d -> d.get("count").asInt()).sum()).isGreaterThanOrEqualTo(5);
        assertThat(unverified).as("counted per window, not one entry per attempt").hasSizeLessThan(5);
        JsonNode one = unverified.get(0);
        assertThat(one.get("refusedBy").asText()).isEqualTo("SERVICE");
        assertThat(one.get("source").asText()).isNotBlank();
        assertThat(one.get("firstRequest").asText()).startsWith("GET /");
        assertThat(awaitFailures("system:sign-in-guard", start, d -> d.get("reason").asText().equals("expired-token")))
                .isNotEmpty();
        assertThat(awaitFailures("system:sign-in-guard", start, d -> d.get("reason").asText().equals("missing-token")))
                .isNotEmpty();
    }

    @Test
    void aWrongPasswordAtKeycloakEndsUpInTheAuditLog() {
        Instant start = Instant.now().minusMillis(1);
        KeycloakTokens keycloak = new KeycloakTokens(ItEnvironment.KEYCLOAK);
        try {
            keycloak.password(Clinic.JONES, "not-the-password");
            throw new AssertionError("Keycloak accepted a wrong password");
        } catch (IllegalStateException expected) {
            assertThat(expected.getMessage()).contains("refused");
        }
        List<JsonNode> found = awaitFailures("system:keycloak-events", start,
                d -> Clinic.JONES.equals(d.path("username").asText()));
        assertThat(found).as("Keycloak's LOGIN_ERROR imported within a minute").isNotEmpty();
        JsonNode failed = found.get(0);
        assertThat(failed.get("refusedBy").asText()).isEqualTo("KEYCLOAK");
        assertThat(failed.get("reason").asText()).isEqualTo("invalid_user_credentials");
        assertThat(failed.get("client").asText()).isEqualTo(KeycloakTokens.DEVTOOLS_CLIENT);
        assertThat(failed.get("count").asInt()).isPositive();
        // The same account signs in again as before: one wrong password locks nothing.
        assertThat(clinic.patient(Clinic.JONES)).isNotBlank();
    }

    @Test
    void theComplianceOfficerFindsTheseEntriesAndWritesNothing() {
        String compliance = clinic.compliance();
        expect(api.get("/fhir/Patient/" + patient, clinic.clinician(Clinic.RIVERA)), 200);
        JsonNode found = expect(api.get("/api/audit/entries?type=PATIENT_DATA_READ&actor=" + Clinic.RIVERA + "&patient="
                + patient + "&limit=1", compliance), 200).json();
        assertThat(found).hasSize(1);
        assertThat(detail(found.get(0)).get("request").asText()).isEqualTo("GET /fhir/Patient/" + patient);
        // Reading the log is itself a read of the patient data it holds.
        JsonNode own = reads("compliance", patient).get(0);
        assertThat(detail(own).get("resource").asText()).isEqualTo("/api/audit/entries");
        assertThat(texts(detail(own).get("patients"))).containsExactly(patient);
        expect(api.get("/fhir/AuditEvent?patient=" + patient, compliance), 200);

        // What the role documents: reads of patient data and the audit trail; no writes.
        assertThat(api.get("/api/patients/" + patient + "/regimen", compliance).status()).isEqualTo(200);
        assertThat(api.get("/fhir/Observation?patient=" + patient, compliance).status()).isEqualTo(200);
        assertThat(api.get("/api/tasks", compliance).status()).as("a clinician's own queue").isEqualTo(403);
        assertThat(api.get("/api/me/adjustments", compliance).status()).as("a patient's own view").isEqualTo(403);
        assertThat(api.post("/fhir/Observation", compliance, ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(1), 140, 90).toString()).status()).isEqualTo(403);
        assertThat(api.put("/fhir/Patient/" + patient, compliance, ClinLoopClient.FHIR_JSON,
                FhirJson.patient(patient, "Test", "Patient", "unknown", "1960-01-01", "dr-okafor").toString()).status())
                .isEqualTo(403);
        assertThat(api.post("/fhir", compliance, ClinLoopClient.FHIR_JSON, FhirJson.transaction(List.of(
                FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(1), 140, 90))).toString()).status()).isEqualTo(403);
        assertThat(api.post("/api/patients/" + patient + "/bounds", compliance, ClinLoopClient.JSON_TYPE,
                ItEnvironment.autonomous().toString()).status()).isEqualTo(403);
        assertThat(api.put("/api/patients/" + patient + "/regimen", compliance, ClinLoopClient.JSON_TYPE,
                FhirJson.regimen(3).toString()).status()).isEqualTo(403);
        assertThat(api.put("/api/patients/" + patient + "/goal", compliance, ClinLoopClient.JSON_TYPE,
                "{\"systolicTarget\":120,\"diastolicTarget\":80}").status()).isEqualTo(403);
        assertThat(api.post("/api/tasks/any/approve", compliance, ClinLoopClient.JSON_TYPE, "{}").status()).isEqualTo(403);
        assertThat(api.post("/api/me/adjustments/any/acknowledge", compliance, ClinLoopClient.JSON_TYPE, "").status())
                .isEqualTo(403);
        assertThat(api.post("/api/models/train?seed=1", compliance, ClinLoopClient.JSON_TYPE, "").status()).isEqualTo(403);
        JsonNode regimen = expect(api.get("/api/patients/" + patient + "/regimen", compliance), 200).json();
        assertThat(regimen.get("doseStep").asInt()).as("nothing the officer sent changed the record").isEqualTo(1);
    }

    @Test
    void theChainStillVerifies() {
        JsonNode verified = expect(api.get("/api/audit/verify", clinic.compliance()), 200).json();
        assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
    }
}
