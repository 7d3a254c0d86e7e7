package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real data: the committed Synthea hypertension cohort (8 patients, 54 blood-pressure panels,
 * 544 antihypertensive prescriptions; see {@code src/test/resources/synthea/README.md}) sent as
 * the EHR sends it, one transaction Bundle per patient, {@code urn:uuid:} references, conditional
 * {@code Practitioner?identifier=…} requesters and references to Encounters the export left out.
 * Everything must arrive intact, unresolved references must be reported, the prescriptions must
 * set the regimen, and the path must then run on the patient's own prescribed dose.
 */
class SyntheaIngestIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String SYNTHEA = "https://github.com/synthetichealth/synthea";
    static Clinic clinic;
    static ClinLoopClient api;
    static final List<JsonNode> COHORT = new ArrayList<>();
    /** Synthea patient id → the id this server gave it. */
    static final Map<String, String> IDS = new HashMap<>();
    static final Map<String, JsonNode> RESPONSES = new HashMap<>();

    @BeforeAll
    static void ingest() throws IOException {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                SyntheaIngestIT.class.getResourceAsStream("/synthea/hypertension-cohort.ndjson"), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (!line.isBlank()) {
                    COHORT.add(JSON.readTree(line));
                }
            }
        }
        assertThat(COHORT).hasSize(8);
        for (JsonNode bundle : COHORT) {
            JsonNode response = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, bundle.toString()), 200)
                    .json();
            String syntheaId = bundle.at("/entry/0/resource/id").asText();
            assertThat(response.get("type").asText()).isEqualTo("transaction-response");
            assertThat(response.get("entry")).hasSize(bundle.get("entry").size());
            String location = response.at("/entry/0/response/location").asText();
            assertThat(location).startsWith("Patient/");
            IDS.put(syntheaId, location.split("/")[1]);
            RESPONSES.put(syntheaId, response);
        }
    }

    @Test
    void everyEntryIsCreatedAndPatientsArriveIntact() {
        for (JsonNode bundle : COHORT) {
            JsonNode sent = bundle.at("/entry/0/resource");
            String id = IDS.get(sent.get("id").asText());
            RESPONSES.get(sent.get("id").asText()).get("entry")
                    .forEach(e -> assertThat(e.at("/response/status").asText()).isEqualTo("201 Created"));
            JsonNode stored = expect(api.get("/fhir/Patient/" + id, clinic.ehr()), 200).json();
            for (String element : List.of("identifier", "name", "gender", "birthDate", "telecom", "address", "extension",
                    "maritalStatus", "communication", "multipleBirthBoolean")) {
                assertThat(stored.get(element)).as(element + " of " + sent.get("id")).isEqualTo(sent.get(element));
            }
            assertThat(stored.at("/meta/profile")).isEqualTo(sent.at("/meta/profile"));
            // Found again by the identifier the EHR knows it by.
            JsonNode found = expect(api.get("/fhir/Patient?identifier=" + SYNTHEA + "%7C" + sent.get("id").asText(),
                    clinic.ehr()), 200).json();
            assertThat(found.at("/entry/0/resource/id").asText()).isEqualTo(id);
        }
    }

    @Test
    void bloodPressureReadingsArriveIntactAndArePlacedByWhenTheyWereMeasured() {
        for (JsonNode bundle : COHORT) {
            Map<String, String> sent = new TreeMap<>();
            for (JsonNode e : bundle.get("entry")) {
                JsonNode r = e.get("resource");
                if ("Observation".equals(r.get("resourceType").asText())) {
                    sent.put(instant(r.get("effectiveDateTime").asText()), pressures(r));
                }
            }
            String id = IDS.get(bundle.at("/entry/0/resource/id").asText());
            JsonNode page = expect(api.get("/fhir/Observation?patient=" + id + "&code=85354-9&_count=100",
                    clinic.ehr()), 200).json();
            assertThat(page.get("total").asInt()).isEqualTo(sent.size());
            Map<String, String> stored = new TreeMap<>();
            List<String> order = new ArrayList<>();
            for (JsonNode e : page.get("entry")) {
                JsonNode r = e.get("resource");
                stored.put(instant(r.get("effectiveDateTime").asText()), pressures(r));
                order.add(instant(r.get("effectiveDateTime").asText()));
                assertThat(r.at("/subject/reference").asText()).isEqualTo("Patient/" + id);
                assertThat(r.at("/encounter/reference").asText()).as("kept as sent").startsWith("urn:uuid:");
                assertThat(r.at("/category/0/coding/0/code").asText()).isEqualTo("vital-signs");
            }
            assertThat(stored).isEqualTo(sent);
            assertThat(order).as("newest measurement first").isSortedAccordingTo(java.util.Comparator.reverseOrder());
        }
    }

    @Test
    void prescriptionsArriveIntactWithTheirRequesterKeptAsALogicalReference() {
        for (JsonNode bundle : COHORT) {
            Map<String, Integer> sent = new TreeMap<>();
            for (JsonNode e : bundle.get("entry")) {
                JsonNode r = e.get("resource");
                if ("MedicationRequest".equals(r.get("resourceType").asText())) {
                    sent.merge(order(r), 1, Integer::sum);
                }
            }
            String syntheaId = bundle.at("/entry/0/resource/id").asText();
            String id = IDS.get(syntheaId);
            Map<String, Integer> stored = new TreeMap<>();
            for (JsonNode e : allPages("/fhir/MedicationRequest?patient=" + id)) {
                JsonNode r = e.get("resource");
                stored.merge(order(r), 1, Integer::sum);
                assertThat(r.at("/subject/reference").asText()).isEqualTo("Patient/" + id);
                assertThat(r.at("/medicationCodeableConcept/coding/0/system").asText())
                        .isEqualTo("http://www.nlm.nih.gov/research/umls/rxnorm");
                assertThat(r.at("/requester/reference").isMissingNode()).isTrue();
                assertThat(r.at("/requester/identifier/system").asText()).isEqualTo("http://hl7.org/fhir/sid/us-npi");
                assertThat(r.at("/requester/display").asText()).startsWith("Dr. ");
            }
            assertThat(stored).as("prescriptions of " + syntheaId).isEqualTo(sent);

            // Each prescription's entry says what could not be resolved.
            JsonNode response = RESPONSES.get(syntheaId);
            for (int i = 0; i < bundle.get("entry").size(); i++) {
                JsonNode r = bundle.at("/entry/" + i + "/resource");
                if (!"MedicationRequest".equals(r.get("resourceType").asText())) {
                    continue;
                }
                String issues = response.at("/entry/" + i + "/response/outcome/issue").toString();
                assertThat(issues).contains("Bundle.entry[" + i + "].resource.encounter")
                        .contains("is no entry of this Bundle")
                        .contains("Bundle.entry[" + i + "].resource.requester")
                        .contains("kept as a logical reference");
                String code = r.at("/medicationCodeableConcept/coding/0/code").asText();
                if (!code.equals("314076")) {
                    assertThat(issues).as(code).contains("is on no titration protocol");
                }
            }
        }
    }

    @Test
    void theNewestActiveLisinoprilOrderSetsTheRegimenAndOtherDrugsDoNot() {
        int onLisinopril = 0;
        for (JsonNode bundle : COHORT) {
            String syntheaId = bundle.at("/entry/0/resource/id").asText();
            String id = IDS.get(syntheaId);
            String newestActiveLisinopril = null;
            for (JsonNode e : bundle.get("entry")) {
                JsonNode r = e.get("resource");
                if ("MedicationRequest".equals(r.get("resourceType").asText()) && "active".equals(r.get("status").asText())
                        && "314076".equals(r.at("/medicationCodeableConcept/coding/0/code").asText())) {
                    String at = instant(r.get("authoredOn").asText());
                    newestActiveLisinopril = newestActiveLisinopril == null || at.compareTo(newestActiveLisinopril) > 0
                            ? at : newestActiveLisinopril;
                }
            }
            ClinLoopClient.Reply regimen = api.get("/api/patients/" + id + "/regimen", clinic.compliance());
            if (newestActiveLisinopril == null) {
                assertThat(regimen.status()).as("no protocol drug for " + syntheaId).isEqualTo(404);
                continue;
            }
            onLisinopril++;
            JsonNode r = expect(regimen, 200).json();
            assertThat(r.get("protocol").asText()).isEqualTo("hypertension-acei-v1");
            assertThat(r.get("doseStep").asInt()).as("lisinopril 10 mg once daily").isEqualTo(2);
            assertThat(instant(r.get("since").asText())).isEqualTo(newestActiveLisinopril);
            assertThat(r.get("setBy").asText()).startsWith("http://hl7.org/fhir/sid/us-npi|");
            JsonNode set = ItEnvironment.lastEntry(id, "REGIMEN_SET");
            assertThat(set.get("source").asText()).startsWith("MedicationRequest/");
            assertThat(set.get("dose").asText()).isEqualTo("lisinopril 10 mg daily");
        }
        assertThat(onLisinopril).as("patients with an active lisinopril 10 MG order (README)").isEqualTo(6);
    }

    @Test
    void historyIsKeptButTooOldToActOnAndAFreshReadingRunsThePathOnThePrescribedDose() {
        JsonNode bundle = COHORT.get(0);
        String syntheaId = bundle.at("/entry/0/resource/id").asText();
        String id = IDS.get(syntheaId);
        // The newest Synthea reading (2026-08-08) was decided on: too old to act on, no alert, no task.
        JsonNode skipped = ItEnvironment.lastEntry(id, "PROPOSAL_SKIPPED");
        assertThat(skipped.get("reason").asText()).contains("too old to act on");
        assertThat(expect(api.get("/api/audit/entries?patient=" + id + "&type=PROPOSAL_MADE&limit=5",
                clinic.compliance()), 200).json()).isEmpty();

        // The EHR puts the patient on Dr Rivera's panel; the wearable sends today's reading.
        ObjectNode patient = (ObjectNode) expect(api.get("/fhir/Patient/" + id, clinic.ehr()), 200).json();
        ArrayNode gp = patient.putArray("generalPractitioner");
        gp.addObject().put("reference", "Practitioner/dr-rivera");
        expect(api.put("/fhir/Patient/" + id, clinic.ehr(), ClinLoopClient.FHIR_JSON, patient.toString()), 200);
        expect(clinic.postReading(id, ItEnvironment.hoursAgo(1), 158, 97), 201);

        JsonNode proposal = ItEnvironment.lastEntry(id, "PROPOSAL_MADE");
        assertThat(proposal.at("/model/id").asText()).isNotBlank();
        // The proposal records why, feature by feature: the exact split of the linear model's margin.
        assertThat(proposal.at("/explanation/method").asText()).isEqualTo("EXACT_LINEAR");
        assertThat(proposal.at("/explanation/contributions").size()).isGreaterThan(3);
        double sum = proposal.at("/explanation/intercept").asDouble();
        for (JsonNode c : proposal.at("/explanation/contributions")) {
            sum += c.asDouble();
        }
        assertThat(sum).as("contributions and intercept add up to the margin")
                .isCloseTo(proposal.at("/explanation/margin").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        JsonNode decided = ItEnvironment.lastEntry(id, "TIER_DECIDED");
        assertThat(decided.get("fromStep").asInt()).as("the prescribed lisinopril 10 mg").isEqualTo(2);
        assertThat(decided.get("tier").asText()).as("no bounds signed: never automatic")
                .isIn("NEEDS_APPROVAL", "NO_CHANGE", "BLOCKED");
    }

    @Test
    void unresolvableReferencesAreRefusedAndNothingOfTheBundleIsKept() {
        String mrn = "it-" + UUID.randomUUID();
        ObjectNode bundle = transaction();
        ObjectNode patient = FhirJson.patient("ignored", "Nobody", "Kept", "female", "1970-01-01", "dr-rivera");
        patient.remove("id");
        patient.putArray("identifier").addObject().put("system", "urn:clinloop:it-mrn").put("value", mrn);
        entry(bundle, "urn:uuid:" + UUID.randomUUID(), patient, null);
        ObjectNode reading = FhirJson.bloodPressure("x", ItEnvironment.hoursAgo(1), 150, 95);
        ((ObjectNode) reading.get("subject")).put("reference", "urn:uuid:" + UUID.randomUUID());
        entry(bundle, "urn:uuid:" + UUID.randomUUID(), reading, null);

        JsonNode refused = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, bundle.toString()), 422).json();
        assertThat(refused.at("/issue/0/expression/0").asText()).isEqualTo("Bundle.entry[1].resource.subject");
        assertThat(refused.toString()).contains("is no entry of this Bundle");
        assertThat(expect(api.get("/fhir/Patient?identifier=urn:clinloop:it-mrn%7C" + mrn, clinic.ehr()), 200).json()
                .path("entry")).as("the Patient entry rolled back with the rest").isEmpty();

        ObjectNode conditional = transaction();
        ObjectNode other = FhirJson.bloodPressure("x", ItEnvironment.hoursAgo(1), 150, 95);
        ((ObjectNode) other.get("subject")).put("reference", "Patient?identifier=urn:clinloop:it-mrn|" + mrn);
        entry(conditional, null, other, null);
        JsonNode notFound = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, conditional.toString()), 422)
                .json();
        assertThat(notFound.at("/issue/0/code").asText()).isEqualTo("not-found");
        assertThat(notFound.at("/issue/0/diagnostics").asText()).contains("expected exactly one Patient matching");
    }

    @Test
    void aConditionalPatientCreateMatchesAndAConditionalReferenceResolves() {
        String mrn = "it-" + UUID.randomUUID();
        ObjectNode first = transaction();
        ObjectNode patient = FhirJson.patient("ignored", "Once", "Only", "male", "1955-05-05", "dr-rivera");
        patient.remove("id");
        patient.putArray("identifier").addObject().put("system", "urn:clinloop:it-mrn").put("value", mrn);
        entry(first, "urn:uuid:" + UUID.randomUUID(), patient, "identifier=urn:clinloop:it-mrn|" + mrn);
        JsonNode created = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, first.toString()), 200).json();
        assertThat(created.at("/entry/0/response/status").asText()).isEqualTo("201 Created");
        String id = created.at("/entry/0/response/location").asText().split("/")[1];

        JsonNode again = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, first.toString()), 200).json();
        assertThat(again.at("/entry/0/response/status").asText()).isEqualTo("200 OK");
        assertThat(again.at("/entry/0/response/location").asText()).startsWith("Patient/" + id + "/");

        ObjectNode byIdentifier = transaction();
        ObjectNode reading = FhirJson.bloodPressure("x", ItEnvironment.hoursAgo(3), 141, 88);
        ((ObjectNode) reading.get("subject")).put("reference", "Patient?identifier=urn:clinloop:it-mrn|" + mrn);
        entry(byIdentifier, null, reading, null);
        JsonNode stored = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, byIdentifier.toString()), 200)
                .json();
        String location = stored.at("/entry/0/response/location").asText();
        JsonNode observation = expect(api.get("/fhir/" + location.substring(0, location.indexOf("/_history")),
                clinic.ehr()), 200).json();
        assertThat(observation.at("/subject/reference").asText()).isEqualTo("Patient/" + id);
    }

    @Test
    void onlyTheEhrPrescribesAndAProposalIsNotAPrescription() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        ObjectNode order = lisinopril(patient, "order", "311354");
        assertThat(api.post("/fhir/MedicationRequest", clinic.clinician(Clinic.RIVERA), ClinLoopClient.FHIR_JSON,
                order.toString()).status()).isEqualTo(403);
        JsonNode refused = expect(api.post("/fhir/MedicationRequest", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                lisinopril(patient, "proposal", "311354").toString()), 422).json();
        assertThat(refused.at("/issue/0/expression/0").asText()).isEqualTo("MedicationRequest.intent");

        // An order signed before the clinician's own regimen entry does not undo it.
        order.put("authoredOn", "2020-01-01T09:00:00Z");
        JsonNode old = expect(api.post("/fhir/MedicationRequest", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                order.toString()), 201).json();
        assertThat(old.at("/medicationCodeableConcept/coding/0/code").asText()).isEqualTo("311354");
        assertThat(expect(api.get("/api/patients/" + patient + "/regimen", clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("doseStep").asInt()).isEqualTo(1);

        // A profile ClinLoop does not know is a warning the sender is told about, not a refusal.
        ObjectNode usCore = lisinopril(patient, "order", "311354");
        usCore.put("authoredOn", "2020-02-01T09:00:00Z");
        usCore.putObject("meta").putArray("profile")
                .add("http://hl7.org/fhir/us/core/StructureDefinition/us-core-medicationrequest");
        JsonNode warned = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.transaction(List.of(usCore)).toString()), 200).json();
        assertThat(warned.at("/entry/0/response/status").asText()).startsWith("201");
        assertThat(warned.at("/entry/0/response/outcome").toString()).contains("us-core-medicationrequest")
                .contains("\"severity\":\"warning\"");
        assertThat(ItEnvironment.lastEntry(patient, "PRESCRIPTION_RECEIVED").get("warnings").toString())
                .contains("us-core-medicationrequest");

        // A newer order of 20 mg twice a day is 40 mg a day: the top of the ladder.
        ObjectNode twice = lisinopril(patient, "order", "314077");
        twice.put("authoredOn", java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        ((ObjectNode) twice.at("/dosageInstruction/0/timing/repeat")).put("frequency", 2);
        expect(api.post("/fhir/MedicationRequest", clinic.ehr(), ClinLoopClient.FHIR_JSON, twice.toString()), 201);
        JsonNode regimen = expect(api.get("/api/patients/" + patient + "/regimen", clinic.clinician(Clinic.RIVERA)), 200)
                .json();
        assertThat(regimen.get("doseStep").asInt()).isEqualTo(4);
        assertThat(ItEnvironment.lastEntry(patient, "PRESCRIPTION_RECEIVED").get("rxnorm").asText()).isEqualTo("314077");
    }

    @Test
    void aBatchCarriesPatientsAndPrescriptionsEachAnsweredOnItsOwn() {
        String id = "it-batch-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode batch = FhirJson.batch(List.of(
                FhirJson.patient(id, "Batch", "Pat", "female", "1958-03-04", "dr-rivera"),
                lisinopril(id, "order", "314076"),
                lisinopril(id, "proposal", "314076"),
                withoutId(FhirJson.patient(id + "-b", "Other", "Pat", "male", "1970-01-01", "dr-rivera"))));
        ArrayNode entries = (ArrayNode) batch.get("entry");
        ((ObjectNode) entries.get(0).get("request")).put("method", "PUT").put("url", "Patient/" + id);
        ((ObjectNode) entries.get(3).get("request")).put("ifNoneExist", "identifier=urn:x|1");
        JsonNode response = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, batch.toString()), 200)
                .json();
        assertThat(response.get("type").asText()).isEqualTo("batch-response");
        assertThat(response.at("/entry/0/response/status").asText()).isEqualTo("201 Created");
        assertThat(response.at("/entry/0/response/location").asText()).startsWith("Patient/" + id + "/_history/1");
        assertThat(response.at("/entry/1/response/status").asText()).isEqualTo("201 Created");
        assertThat(response.at("/entry/1/response/location").asText()).startsWith("MedicationRequest/");
        assertThat(response.at("/entry/2/response/status").asText()).startsWith("422");
        assertThat(response.at("/entry/2/response/outcome/issue/0/expression/0").asText())
                .isEqualTo("Bundle.entry[2].resource.intent");
        assertThat(response.at("/entry/3/response/status").asText()).startsWith("422");
        assertThat(response.at("/entry/3/response/outcome/issue/0/expression/0").asText())
                .isEqualTo("Bundle.entry[3].request.ifNoneExist");
        // The patient and the order were kept; the order set the regimen (10 mg: step 2).
        expect(api.get("/fhir/Patient/" + id, clinic.ehr()), 200);
        assertThat(expect(api.get("/fhir/MedicationRequest?patient=" + id, clinic.ehr()), 200).json().get("total")
                .asInt()).isEqualTo(1);
        assertThat(expect(api.get("/api/patients/" + id + "/regimen", clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("doseStep").asInt()).isEqualTo(2);
        // A clinician may not register patients, in a batch or not.
        JsonNode refused = expect(api.post("/fhir", clinic.clinician(Clinic.RIVERA), ClinLoopClient.FHIR_JSON,
                FhirJson.batch(List.of(withoutId(FhirJson.patient(id + "-c", "No", "Way", "male", "1970-01-01",
                        "dr-rivera"))))
                        .toString()), 200).json();
        assertThat(refused.at("/entry/0/response/status").asText()).startsWith("403");
    }

    private static ObjectNode withoutId(ObjectNode resource) {
        resource.remove("id");
        return resource;
    }

    /** Every entry of a search, following its next links. */
    static List<JsonNode> allPages(String query) {
        List<JsonNode> out = new ArrayList<>();
        JsonNode page = expect(api.get(query, clinic.ehr()), 200).json();
        while (page != null) {
            page.path("entry").forEach(out::add);
            String next = null;
            for (JsonNode link : page.path("link")) {
                if ("next".equals(link.get("relation").asText())) {
                    next = link.get("url").asText();
                }
            }
            page = next == null ? null : expect(api.get(next.substring(next.indexOf("/fhir")), clinic.ehr()), 200).json();
        }
        return out;
    }

    static ObjectNode lisinopril(String patient, String intent, String rxnorm) {
        ObjectNode mr = JSON.createObjectNode().put("resourceType", "MedicationRequest").put("status", "active")
                .put("intent", intent);
        mr.putObject("medicationCodeableConcept").putArray("coding").addObject()
                .put("system", "http://www.nlm.nih.gov/research/umls/rxnorm").put("code", rxnorm);
        mr.putObject("subject").put("reference", "Patient/" + patient);
        mr.put("authoredOn", ItEnvironment.hoursAgo(1).toString());
        ObjectNode dosage = mr.putArray("dosageInstruction").addObject();
        dosage.putObject("timing").putObject("repeat").put("frequency", 1).put("period", 1).put("periodUnit", "d");
        dosage.putArray("doseAndRate").addObject().putObject("doseQuantity").put("value", 1);
        return mr;
    }

    static ObjectNode transaction() {
        ObjectNode b = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
        b.putArray("entry");
        return b;
    }

    static void entry(ObjectNode bundle, String fullUrl, ObjectNode resource, String ifNoneExist) {
        ObjectNode e = ((ArrayNode) bundle.get("entry")).addObject();
        if (fullUrl != null) {
            e.put("fullUrl", fullUrl);
        }
        e.set("resource", resource);
        ObjectNode request = e.putObject("request").put("method", "POST").put("url", resource.get("resourceType").asText());
        if (ifNoneExist != null) {
            request.put("ifNoneExist", ifNoneExist);
        }
    }

    /** "RxNorm code, status, authored instant": what must survive the trip for an order. */
    static String order(JsonNode medicationRequest) {
        return medicationRequest.at("/medicationCodeableConcept/coding/0/code").asText() + " "
                + medicationRequest.get("status").asText() + " " + instant(medicationRequest.get("authoredOn").asText());
    }

    static String instant(String dateTime) {
        return OffsetDateTime.parse(dateTime).toInstant().toString();
    }

    /** "systolic/diastolic" whatever order the components come in. */
    static String pressures(JsonNode observation) {
        double sys = Double.NaN;
        double dia = Double.NaN;
        for (JsonNode c : observation.get("component")) {
            String code = c.at("/code/coding/0/code").asText();
            if ("8480-6".equals(code)) {
                sys = c.at("/valueQuantity/value").asDouble();
            } else if ("8462-4".equals(code)) {
                dia = c.at("/valueQuantity/value").asDouble();
            }
        }
        return sys + "/" + dia;
    }
}
