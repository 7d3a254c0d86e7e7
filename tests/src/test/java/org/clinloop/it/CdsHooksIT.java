package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CDS Hooks 2.0 against the running service: an EHR played by this test, which generates its keys,
 * serves its JWKS and a small FHIR server on loopback, registers itself in the service's EHR file,
 * and signs a JWT for every call.
 */
class CdsHooksIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final String PATIENT_VIEW = "clinloop-patient-view";
    private static final String ORDER_SIGN = "clinloop-order-sign";
    private static HttpServer ehr;
    private static String ehrBase;
    private static String issuer;
    private static RSAKey rsa;
    private static ECKey ec;
    /** Requests the EHR's FHIR server received: "path?query | Authorization". */
    private static final List<String> fhirRequests = Collections.synchronizedList(new ArrayList<>());

    private final Clinic clinic = ItEnvironment.clinic();
    private final ClinLoopClient api = clinic.api();

    @BeforeAll
    static void startEhr() throws Exception {
        rsa = new RSAKeyGenerator(2048).keyID("ehr-rsa").generate();
        ec = new ECKeyGenerator(Curve.P_256).keyID("ehr-ec").generate();
        ehr = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ehrBase = "http://127.0.0.1:" + ehr.getAddress().getPort();
        issuer = ehrBase + "/ehr";
        String jwks = new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())).toString();
        ehr.createContext("/jwks.json", x -> answer(x, 200, "application/json", jwks));
        ehr.createContext("/fhir", CdsHooksIT::fhir);
        ehr.start();
        ObjectNode registration = JSON.createObjectNode();
        ObjectNode entry = registration.putArray("ehrs").addObject();
        entry.put("issuer", issuer);
        entry.put("jwks", ehrBase + "/jwks.json");
        entry.putArray("fhirServers").add(ehrBase + "/fhir");
        Path file = Path.of(Objects.requireNonNull(System.getProperty("clinloop.cds.ehrs-file"), "clinloop.cds.ehrs-file"));
        Files.writeString(file, registration.toString(), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void stopEhr() {
        if (ehr != null) {
            ehr.stop(0);
        }
    }

    /** The EHR's FHIR server: a Patient, one blood pressure at 118/72 a day ago, no medications. */
    private static void fhir(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getRawPath();
        String query = x.getRequestURI().getRawQuery();
        fhirRequests.add(path + (query == null ? "" : "?" + query) + " | " + x.getRequestHeaders().getFirst("Authorization"));
        if (path.startsWith("/fhir/Patient/")) {
            String id = path.substring("/fhir/Patient/".length());
            answer(x, 200, "application/fhir+json", "{\"resourceType\":\"Patient\",\"id\":\"" + id + "\"}");
        } else if (path.equals("/fhir/Observation")) {
            String patient = query.replaceAll(".*patient=([^&]+).*", "$1");
            ObjectNode bundle = searchset(List.of(FhirJson.bloodPressure(patient, Instant.now().minus(Duration.ofDays(1))
                    .truncatedTo(java.time.temporal.ChronoUnit.SECONDS), 118, 72)));
            answer(x, 200, "application/fhir+json", bundle.toString());
        } else {
            answer(x, 200, "application/fhir+json", searchset(List.of()).toString());
        }
    }

    private static void answer(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        x.getResponseBody().write(bytes);
        x.close();
    }

    private static ObjectNode searchset(List<ObjectNode> resources) {
        ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "searchset");
        ArrayNode entries = bundle.putArray("entry");
        for (ObjectNode r : resources) {
            r.put("id", UUID.randomUUID().toString());
            entries.addObject().set("resource", r);
        }
        return bundle;
    }

    // --- the EHR's side of a call --------------------------------------------------------

    private static String serviceUrl(String id) {
        return ItEnvironment.SERVICE + "/cds-services/" + id;
    }

    private static JWTClaimsSet.Builder claims(String aud) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(aud).subject("ehr-client")
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plusSeconds(240)))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String signed(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(rsa));
        return jwt.serialize();
    }

    private static String token(String id) throws Exception {
        return signed(claims(serviceUrl(id)).build());
    }

    private static Reply post(String path, String jwt, JsonNode body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(ItEnvironment.SERVICE + path))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (jwt != null) {
            b.header("Authorization", "Bearer " + jwt);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    private record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("expected JSON, found " + body, e);
            }
        }
    }

    private static ObjectNode hook(String hook, String patient) {
        ObjectNode call = JSON.createObjectNode().put("hook", hook).put("hookInstance", UUID.randomUUID().toString());
        call.putObject("context").put("userId", "Practitioner/dr-rivera").put("patientId", patient);
        return call;
    }

    /** A fresh approval-only patient at step 2 (10 mg) with one reading above target: an INCREASE task. */
    private String patientWithProposal() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 146, 90), 201);
        JsonNode tasks = expect(api.get("/fhir/Task?patient=" + patient + "&status=requested",
                clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(tasks.get("total").asInt()).isEqualTo(1);
        return patient;
    }

    private static List<JsonNode> cards(Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        reply.json().get("cards").forEach(out::add);
        return out;
    }

    private static JsonNode proposalCard(List<JsonNode> cards) {
        return cards.stream().filter(c -> c.get("summary").asText().startsWith("ClinLoop proposes")).findFirst()
                .orElseThrow(() -> new AssertionError("expected a proposal card, found " + cards));
    }

    // --- tests ----------------------------------------------------------------------------

    @Test
    void discoveryListsEachServiceWithTheSpecificationsRequiredFieldsAndNeedsNoToken() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(ItEnvironment.SERVICE + "/cds-services"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode services = JSON.readTree(r.body()).get("services");
        assertThat(services).hasSize(2);
        List<String> hooks = new ArrayList<>();
        for (JsonNode s : services) {
            assertThat(s.get("hook").asText()).isNotBlank();
            assertThat(s.get("id").asText()).isNotBlank();
            assertThat(s.get("description").asText()).isNotBlank();
            assertThat(s.get("title").asText()).isNotBlank();
            assertThat(s.get("prefetch").get("patient").asText()).isEqualTo("Patient/{{context.patientId}}");
            hooks.add(s.get("hook").asText() + "=" + s.get("id").asText());
        }
        assertThat(hooks).containsExactlyInAnyOrder("patient-view=" + PATIENT_VIEW, "order-sign=" + ORDER_SIGN);
        JsonNode view = services.get(hooks.indexOf("patient-view=" + PATIENT_VIEW));
        assertThat(view.at("/prefetch/bloodPressure").asText()).startsWith("Observation?patient={{context.patientId}}")
                .contains("85354-9");
        assertThat(view.at("/prefetch/medications").asText())
                .isEqualTo("MedicationRequest?patient={{context.patientId}}&status=active");
    }

    @Test
    void patientViewWithPrefetchShowsBloodPressureTheProposalAsASuggestionAndALinkToThePortal() throws Exception {
        String patient = patientWithProposal();
        ObjectNode call = hook("patient-view", patient);
        ObjectNode prefetch = call.putObject("prefetch");
        prefetch.putObject("patient").put("resourceType", "Patient").put("id", patient);
        prefetch.set("bloodPressure", searchset(List.of(
                FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(30), 152, 94),
                FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(6), 148, 92))));
        prefetch.set("medications", searchset(List.of()));
        int before = fhirRequests.size();
        List<JsonNode> cards = cards(post("/cds-services/" + PATIENT_VIEW, token(PATIENT_VIEW), call));

        assertThat(fhirRequests).hasSize(before);
        JsonNode bp = cards.get(0);
        assertThat(bp.get("indicator").asText()).isEqualTo("warning");
        assertThat(bp.get("summary").asText()).isEqualTo("Blood pressure above target: 7-day mean 150/93 mm[Hg] (target <130/80 mm[Hg])");
        assertThat(bp.get("detail").asText()).contains("the EHR's prefetch");
        JsonNode proposal = proposalCard(cards);
        assertThat(proposal.get("uuid").asText()).isNotBlank();
        assertThat(proposal.at("/source/label").asText()).isEqualTo("ClinLoop");
        assertThat(proposal.get("summary").asText()).isEqualTo("ClinLoop proposes increase: lisinopril 20 mg daily");
        assertThat(proposal.get("detail").asText()).contains("probability").contains("Waiting for a clinician because");
        assertThat(proposal.get("selectionBehavior").asText()).isEqualTo("at-most-one");
        JsonNode action = proposal.at("/suggestions/0/actions/0");
        assertThat(action.get("type").asText()).isEqualTo("create");
        assertThat(action.at("/resource/resourceType").asText()).isEqualTo("MedicationRequest");
        assertThat(action.at("/resource/intent").asText()).isEqualTo("order");
        assertThat(action.at("/resource/subject/reference").asText()).isEqualTo("Patient/" + patient);
        assertThat(action.at("/resource/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("314077");
        assertThat(proposal.at("/links/0/url").asText()).isEqualTo(ItEnvironment.SERVICE + "/#/patient/" + patient);
        assertThat(proposal.get("overrideReasons").findValuesAsText("code")).contains("CLINICAL_JUDGEMENT");

        JsonNode audited = ItEnvironment.lastEntry(patient, "CDS_HOOK_CALLED");
        assertThat(audited.get("service").asText()).isEqualTo(PATIENT_VIEW);
        assertThat(audited.get("prefetched").toString()).contains("bloodPressure");
        assertThat(audited.get("fetched")).isEmpty();
        assertThat(audited.get("cards").toString()).contains("ClinLoop proposes increase");
    }

    @Test
    void patientViewWithoutPrefetchFetchesOnlyWhatTheTokensScopeNamesFromTheRegisteredServer() throws Exception {
        String patient = patientWithProposal();
        ObjectNode call = hook("patient-view", patient);
        call.put("fhirServer", ehrBase + "/fhir");
        call.putObject("fhirAuthorization").put("access_token", "ehr-token-" + patient).put("token_type", "Bearer")
                .put("expires_in", 300).put("scope", "patient/Patient.read patient/Observation.read")
                .put("subject", "clinloop");
        int before = fhirRequests.size();
        List<JsonNode> cards = cards(post("/cds-services/" + PATIENT_VIEW, token(PATIENT_VIEW), call));

        List<String> made = List.copyOf(fhirRequests.subList(before, fhirRequests.size()));
        assertThat(made).hasSize(2).allMatch(r -> r.endsWith(" | Bearer ehr-token-" + patient));
        assertThat(made.get(0)).startsWith("/fhir/Patient/" + patient + " ");
        assertThat(made.get(1)).startsWith("/fhir/Observation?patient=" + patient + "&code=");
        assertThat(made).noneMatch(r -> r.contains("MedicationRequest"));
        JsonNode bp = cards.get(0);
        assertThat(bp.get("indicator").asText()).isEqualTo("info");
        assertThat(bp.get("summary").asText()).startsWith("Blood pressure at target: 7-day mean 118/72");
        assertThat(bp.get("detail").asText()).contains("the EHR's FHIR server");
        proposalCard(cards);
        JsonNode audited = ItEnvironment.lastEntry(patient, "CDS_HOOK_CALLED");
        assertThat(audited.get("fetched")).hasSize(2);

        // A fhirServer not registered for this EHR is never called.
        ObjectNode elsewhere = call.deepCopy().put("hookInstance", UUID.randomUUID().toString())
                .put("fhirServer", ehrBase + "/fhir-other");
        Reply refused = post("/cds-services/" + PATIENT_VIEW, token(PATIENT_VIEW), elsewhere);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("message").asText()).contains("expected fhirServer under one registered");
        assertThat(fhirRequests).hasSize(before + 2);
    }

    /** A draft order of {@code tablets} lisinopril tablets of RxNorm {@code rxnorm} daily. */
    private static ObjectNode orderSign(String patient, String rxnorm, int tablets) {
        ObjectNode call = hook("order-sign", patient);
        ObjectNode order = JSON.createObjectNode().put("resourceType", "MedicationRequest").put("id", "draft-1")
                .put("status", "draft").put("intent", "order");
        order.putObject("subject").put("reference", "Patient/" + patient);
        order.putObject("medicationCodeableConcept").putArray("coding").addObject()
                .put("system", "http://www.nlm.nih.gov/research/umls/rxnorm").put("code", rxnorm);
        ObjectNode dosage = order.putArray("dosageInstruction").addObject();
        dosage.putObject("timing").putObject("repeat").put("frequency", 1).put("period", 1).put("periodUnit", "d");
        dosage.putArray("doseAndRate").addObject().putObject("doseQuantity").put("value", tablets)
                .put("unit", "tablet").put("system", "http://unitsofmeasure.org").put("code", "{tbl}");
        call.with("context").set("draftOrders", searchset(List.of(order)).put("type", "collection"));
        return call;
    }

    @Test
    void orderSignOutsideTheLimitsIsCriticalNamingTheRuleAndInsideIsNot() throws Exception {
        String patient = patientWithProposal();
        // 2 × 40 mg a day: above the ladder's 40 mg.
        List<JsonNode> over = cards(post("/cds-services/" + ORDER_SIGN, token(ORDER_SIGN), orderSign(patient, "197884", 2)));
        assertThat(over).hasSize(1);
        assertThat(over.get(0).get("indicator").asText()).isEqualTo("critical");
        assertThat(over.get(0).get("summary").asText()).contains("\"Outside the protocol's hard limits\"");
        assertThat(over.get(0).get("detail").asText()).contains("expected a dose step within the protocol ladder 0..4");
        JsonNode audited = ItEnvironment.lastEntry(patient, "CDS_HOOK_CALLED");
        assertThat(audited.get("service").asText()).isEqualTo(ORDER_SIGN);
        assertThat(audited.get("rulesFired").toString()).contains("Outside the protocol's hard limits: BLOCKED");
        assertThat(audited.get("rulesVersion").asText()).startsWith("titration-safety@");

        // 20 mg: one step up, inside the protocol and the (approval-only) bounds: nothing critical.
        List<JsonNode> inside = cards(post("/cds-services/" + ORDER_SIGN, token(ORDER_SIGN), orderSign(patient, "314077", 1)));
        assertThat(inside).noneMatch(c -> c.get("indicator").asText().equals("critical"));
        assertThat(ItEnvironment.lastEntry(patient, "CDS_HOOK_CALLED").get("rulesFired").toString())
                .doesNotContain("BLOCKED").contains("Autonomy not enabled: NEEDS_APPROVAL");

        // Below the systolic floor an increase is blocked by the floor rule.
        String low = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        expect(clinic.postReading(low, ItEnvironment.hoursAgo(1), 96, 60), 201);
        List<JsonNode> floor = cards(post("/cds-services/" + ORDER_SIGN, token(ORDER_SIGN), orderSign(low, "314077", 1)));
        assertThat(floor).anyMatch(c -> c.get("indicator").asText().equals("critical")
                && c.get("summary").asText().contains("\"Increase below the systolic floor\""));
    }

    @Test
    void feedbackBecomesLabelledClinicianFeedbackOnTheProposalAndIsAudited() throws Exception {
        String patient = patientWithProposal();
        JsonNode card = proposalCard(cards(post("/cds-services/" + PATIENT_VIEW, token(PATIENT_VIEW),
                hook("patient-view", patient))));
        JsonNode was = expect(api.get("/api/models/feedback", clinic.compliance()), 200).json();

        ObjectNode feedback = JSON.createObjectNode();
        ObjectNode item = feedback.putArray("feedback").addObject().put("card", card.get("uuid").asText())
                .put("outcome", "overridden").put("outcomeTimestamp", Instant.now().toString());
        ObjectNode override = item.putObject("overrideReason");
        override.putObject("reason").put("system", "https://clinloop.org/fhir/CodeSystem/rejection-reason")
                .put("code", "CLINICAL_JUDGEMENT");
        override.put("userComment", "white-coat pattern");
        Reply recorded = post("/cds-services/" + PATIENT_VIEW + "/feedback", token(PATIENT_VIEW), feedback);
        assertThat(recorded.status()).as(recorded.body()).isEqualTo(200);

        JsonNode now = expect(api.get("/api/models/feedback", clinic.compliance()), 200).json();
        assertThat(now.get("decisions").asInt()).isEqualTo(was.get("decisions").asInt() + 1);
        assertThat(now.path("byAction").path("REJECTED").asInt())
                .isEqualTo(was.path("byAction").path("REJECTED").asInt(0) + 1);
        assertThat(now.path("byLabel").path("HOLD").asInt()).isEqualTo(was.path("byLabel").path("HOLD").asInt(0) + 1);
        JsonNode audited = ItEnvironment.lastEntry(patient, "CDS_FEEDBACK_RECEIVED");
        assertThat(audited.get("card").asText()).isEqualTo(card.get("uuid").asText());
        assertThat(audited.get("outcome").asText()).isEqualTo("overridden");
        assertThat(audited.get("reason").asText()).isEqualTo("CLINICAL_JUDGEMENT");
        assertThat(audited.get("model").asText()).isNotBlank();
        assertThat(audited.get("label").asText()).isEqualTo("HOLD");
        // The task is withdrawn: the portal can no longer approve what the EHR decided.
        assertThat(expect(api.get("/fhir/Task?patient=" + patient + "&status=requested",
                clinic.clinician(Clinic.RIVERA)), 200).json().get("total").asInt()).isZero();

        // The same card again is a conflict; a card never issued is not found.
        assertThat(post("/cds-services/" + PATIENT_VIEW + "/feedback", token(PATIENT_VIEW), feedback).status())
                .isEqualTo(409);
        item.put("card", UUID.randomUUID().toString());
        assertThat(post("/cds-services/" + PATIENT_VIEW + "/feedback", token(PATIENT_VIEW), feedback).status())
                .isEqualTo(404);

        // Accepted: an approval label in the proposal's direction.
        String other = patientWithProposal();
        JsonNode second = proposalCard(cards(post("/cds-services/" + PATIENT_VIEW, token(PATIENT_VIEW),
                hook("patient-view", other))));
        ObjectNode accepted = JSON.createObjectNode();
        accepted.putArray("feedback").addObject().put("card", second.get("uuid").asText()).put("outcome", "accepted")
                .putArray("acceptedSuggestions").addObject().put("id", second.at("/suggestions/0/uuid").asText());
        assertThat(post("/cds-services/" + PATIENT_VIEW + "/feedback", token(PATIENT_VIEW), accepted).status())
                .isEqualTo(200);
        JsonNode after = expect(api.get("/api/models/feedback", clinic.compliance()), 200).json();
        assertThat(after.path("byAction").path("APPROVED").asInt())
                .isEqualTo(now.path("byAction").path("APPROVED").asInt(0) + 1);
    }

    @Test
    void everyJwtTheSpecificationForbidsIsRefusedWith401AndAJsonError() throws Exception {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        ObjectNode call = hook("patient-view", patient);
        String path = "/cds-services/" + PATIENT_VIEW;
        String aud = serviceUrl(PATIENT_VIEW);

        assertRefused(post(path, null, call), "found none");
        assertRefused(post(path, signed(claims(aud).expirationTime(Date.from(Instant.now().minusSeconds(120))).build()),
                call), "has not expired");
        assertRefused(post(path, signed(claims(serviceUrl(ORDER_SIGN)).build()), call), "expected aud " + aud);
        assertRefused(post(path, signed(claims(aud).issuer("https://unknown.example/ehr").build()), call),
                "expected iss of a registered EHR");
        assertRefused(post(path, new PlainJWT(claims(aud).build()).serialize(), call), "found alg none");
        SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(aud).build());
        hs.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));
        assertRefused(post(path, hs.serialize(), call), "found alg HS256");
        SignedJWT es = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(),
                claims(aud).build());
        es.sign(new ECDSASigner(ec));
        String once = es.serialize();
        assertThat(post(path, once, call).status()).isEqualTo(200);
        assertRefused(post(path, once, call), "replayed");
        assertRefused(post(path + "/feedback", signed(claims(aud).expirationTime(
                Date.from(Instant.now().minusSeconds(120))).build()), JSON.createObjectNode()), "has not expired");

        // Counted with the failed sign-ins, under the check's own reason.
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .untilAsserted(() -> {
                    JsonNode entries = expect(api.get("/api/audit/entries?type=SIGN_IN_FAILED&actor=system:sign-in-guard"
                            + "&limit=1000", clinic.compliance()), 200).json();
                    List<String> reasons = new ArrayList<>();
                    for (JsonNode e : entries) {
                        JsonNode d = JSON.readTree(e.get("detailJson").asText());
                        if (d.get("firstRequest").asText().startsWith("POST /cds-services/")) {
                            reasons.add(d.get("reason").asText());
                        }
                    }
                    assertThat(reasons).contains("cds-replayed-jti", "cds-unsigned-token", "cds-algorithm-refused",
                            "cds-wrong-audience", "cds-unknown-issuer", "cds-expired-token", "cds-missing-token");
                });
    }

    private static void assertRefused(Reply reply, String message) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(401);
        JsonNode body = reply.json();
        assertThat(body.get("error").asText()).isEqualTo("invalid_token");
        assertThat(body.get("message").asText()).contains(message);
    }
}
