package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The FHIR front door beyond the single reading: retries stored once (conditional create),
 * every accepted kind with UCUM conversion, search by code, date and arrival with paging,
 * {@code $lastn}, batch with per-entry outcomes, devices bound to their patient, reported intake,
 * and labs reaching the safety rules.
 */
class IngestIT {

    static final String GATEWAY = "urn:clinloop:it-gateway";
    static Clinic clinic;
    static ClinLoopClient api;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        clinic.registerPatient(Clinic.JONES_ID, "Jones", "Pat", "female", "1961-04-02", "dr-rivera");
    }

    static ClinLoopClient.Reply post(ObjectNode resource) {
        return api.post("/fhir/" + resource.get("resourceType").asText(), clinic.ehr(), ClinLoopClient.FHIR_JSON,
                resource.toString());
    }

    static JsonNode search(String query) {
        return expect(api.get("/fhir/Observation?" + query, clinic.clinician(Clinic.RIVERA)), 200).json();
    }

    @Test
    void aRetriedReadingIsStoredOnceAndDecidedOnce() throws Exception {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        String id = UUID.randomUUID().toString();
        ObjectNode reading = FhirJson.identified(FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(2), 151, 94),
                GATEWAY, id);

        JsonNode first = expect(post(reading), 201).json();
        JsonNode again = expect(post(reading), 200).json();
        assertThat(again.get("id").asText()).isEqualTo(first.get("id").asText());

        // FHIR conditional create: If-None-Exist names the identifier.
        HttpResponse<String> conditional = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api.baseUrl() + "/fhir/Observation"))
                .header("Authorization", "Bearer " + clinic.ehr())
                .header("Content-Type", ClinLoopClient.FHIR_JSON)
                .header("If-None-Exist", "identifier=" + GATEWAY + "|" + id)
                .POST(HttpRequest.BodyPublishers.ofString(reading.toString())).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(conditional.statusCode()).as(conditional.body()).isEqualTo(200);
        assertThat(conditional.body()).contains(first.get("id").asText());

        assertThat(search("patient=" + patient).get("total").asInt()).isEqualTo(1);
        clinic.awaitDecisions(patient); // decisions follow the 201, from the outbox
        assertThat(expect(api.get("/fhir/Task?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("total").asInt()).as("one reading, one decision").isEqualTo(1);
        assertThat(expect(api.get("/api/audit/entries?patient=" + patient + "&type=OBSERVATION_ACCEPTED",
                clinic.compliance()), 200).json().size()).isEqualTo(1);

        // The same identifier in a transaction answers 200 for that entry, 201 for the new one.
        ObjectNode second = FhirJson.identified(FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(1), 149, 92),
                GATEWAY, UUID.randomUUID().toString());
        JsonNode tx = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.transaction(List.of(reading, second)).toString()), 200).json();
        assertThat(tx.get("entry").get(0).get("response").get("status").asText()).isEqualTo("200 OK");
        assertThat(tx.get("entry").get(1).get("response").get("status").asText()).isEqualTo("201 Created");
        assertThat(search("patient=" + patient).get("total").asInt()).isEqualTo(2);
    }

    @Test
    void aReadingInKilopascalIsConvertedBeforeTheRulesSeeIt() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        ObjectNode kpa = FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(2), 20, 12.5);
        kpa.get("component").forEach(c -> ((ObjectNode) c.get("valueQuantity")).put("code", "kPa").put("unit", "kPa"));

        expect(post(kpa), 201);

        JsonNode accepted = ItEnvironment.lastEntry(patient, "OBSERVATION_ACCEPTED");
        assertThat(accepted.get("systolic").asDouble()).isCloseTo(150.0, org.assertj.core.data.Offset.offset(0.1));
        assertThat(accepted.get("diastolic").asDouble()).isCloseTo(93.8, org.assertj.core.data.Offset.offset(0.1));
        assertThat(accepted.get("unit").asText()).isEqualTo("mm[Hg]");
        // The stored resource is what was sent: the conversion is ClinLoop's reading of it, not an edit.
        JsonNode stored = search("patient=" + patient).get("entry").get(0).get("resource");
        assertThat(stored.get("component").get(0).get("valueQuantity").get("code").asText()).isEqualTo("kPa");
    }

    @Test
    void everyKindIsSearchableByCodeDateAndArrivalInPages() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        List<ObjectNode> resources = new ArrayList<>();
        for (int h = 30; h >= 1; h--) {
            resources.add(FhirJson.quantity(patient, ItEnvironment.hoursAgo(h), "8867-4", "vital-signs", 60 + h, "/min"));
        }
        resources.add(FhirJson.quantity(patient, ItEnvironment.hoursAgo(5), "41950-7", "activity", 8200, "/d"));
        resources.add(FhirJson.quantity(patient, ItEnvironment.hoursAgo(5), "29463-7", "vital-signs", 176.4, "[lb_av]"));
        resources.add(FhirJson.quantity(patient, ItEnvironment.hoursAgo(5), "59408-5", "vital-signs", 97, "%"));
        expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, FhirJson.transaction(resources).toString()), 200);

        assertThat(search("patient=" + patient).get("total").asInt()).isEqualTo(33);
        JsonNode heart = search("patient=" + patient + "&code=http://loinc.org%7C8867-4&_count=10");
        assertThat(heart.get("total").asInt()).isEqualTo(30);
        assertThat(heart.get("entry").size()).isEqualTo(10);
        assertThat(heart.get("entry").get(0).get("resource").get("valueQuantity").get("value").asInt())
                .as("newest first").isEqualTo(61);
        Set<String> seen = new TreeSet<>();
        JsonNode page = heart;
        int pages = 0;
        while (page != null) {
            page.get("entry").forEach(e -> seen.add(e.get("resource").get("id").asText()));
            pages++;
            String next = null;
            for (JsonNode link : page.get("link")) {
                if ("next".equals(link.get("relation").asText())) {
                    next = link.get("url").asText();
                }
            }
            page = next == null ? null : expect(api.get(next.substring(next.indexOf("/fhir")),
                    clinic.clinician(Clinic.RIVERA)), 200).json();
        }
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(30);

        assertThat(search("patient=" + patient + "&code=8867-4&date=ge" + ItEnvironment.hoursAgo(10).minusSeconds(1800)).get("total")
                .asInt()).isEqualTo(10);
        assertThat(search("patient=" + patient + "&code=29463-7,59408-5").get("total").asInt()).isEqualTo(2);
        assertThat(search("patient=" + patient + "&_lastUpdated=ge" + ItEnvironment.hoursAgo(-1)).get("total").asInt())
                .as("nothing arrives from the future").isZero();
        assertThat(search("patient=" + patient + "&_lastUpdated=ge" + ItEnvironment.hoursAgo(1)).get("total").asInt())
                .isEqualTo(33);

        JsonNode lastN = expect(api.get("/fhir/Observation/$lastn?patient=Patient/" + patient + "&max=2",
                clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(lastN.get("total").asInt()).as("2 heart rates + 1 each of steps, weight, SpO2").isEqualTo(5);
        JsonNode weight = search("patient=" + patient + "&code=29463-7").get("entry").get(0);
        assertThat(weight.get("resource").get("valueQuantity").get("code").asText()).isEqualTo("[lb_av]");
        assertThat(api.get("/fhir/Observation?patient=" + patient + "&code=http://snomed.info/sct%7C1",
                clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(400);
        assertThat(api.get("/fhir/Observation?patient=" + patient, clinic.clinician(Clinic.OKAFOR)).status())
                .isEqualTo(403);
    }

    @Test
    void aBatchAcceptsTheGoodEntriesAndAnswersEachBadOne() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        ObjectNode good = FhirJson.quantity(patient, ItEnvironment.hoursAgo(3), "8867-4", "vital-signs", 70, "/min");
        ObjectNode badUnit = FhirJson.quantity(patient, ItEnvironment.hoursAgo(2), "8867-4", "vital-signs", 70, "kg");
        ObjectNode unknownPatient = FhirJson.quantity("no-such-patient", ItEnvironment.hoursAgo(2), "8867-4",
                "vital-signs", 70, "/min");
        JsonNode reply = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.batch(List.of(good, badUnit, unknownPatient)).toString()), 200).json();

        assertThat(reply.get("type").asText()).isEqualTo("batch-response");
        JsonNode entries = reply.get("entry");
        assertThat(entries.get(0).get("response").get("status").asText()).isEqualTo("201 Created");
        assertThat(entries.get(1).get("response").get("status").asText()).startsWith("422");
        JsonNode issue = entries.get(1).get("response").get("outcome").get("issue").get(0);
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Bundle.entry[1].resource.valueQuantity.code");
        assertThat(issue.get("diagnostics").asText()).contains("expected a unit convertible to /min, found kg");
        assertThat(entries.get(2).get("response").get("status").asText()).startsWith("422");
        assertThat(search("patient=" + patient).get("total").asInt()).isEqualTo(1);

        // The same bad entry in a transaction refuses the whole bundle.
        ClinLoopClient.Reply tx = api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.transaction(List.of(good, badUnit)).toString());
        assertThat(tx.status()).isEqualTo(422);
        assertThat(search("patient=" + patient).get("total").asInt()).isEqualTo(1);
    }

    @Test
    void highPotassiumBlocksAnIncreaseTheModelProposes() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, FhirJson.bounds(0, 4, 1, 100, 0.6, true));
        expect(post(FhirJson.quantity(patient, ItEnvironment.hoursAgo(30), "2823-3", "laboratory", 5.9, "mmol/L")), 201);

        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 151, 94), 201);

        JsonNode decided = ItEnvironment.lastEntry(patient, "TIER_DECIDED");
        assertThat(decided.get("tier").asText()).isEqualTo("BLOCKED");
        assertThat(ItEnvironment.ruleNames(decided)).contains("Potassium too high for an increase");
        assertThat(decided.toString()).contains("5.9");
        JsonNode issues = expect(api.get("/fhir/DetectedIssue?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json();
        assertThat(issues.toString()).contains("hyperkalaemia");
        assertThat(expect(api.get("/fhir/MedicationRequest?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("total").asInt()).isZero();
    }

    @Test
    void theR4ValidatorRefusesWhatBreaksTheSpecAndOnlyWarnsOfUnknownProfiles() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, null);
        // obs-6: a value and a reason for its absence at once. ClinLoop's own rules have no view on it.
        ObjectNode both = FhirJson.quantity(patient, ItEnvironment.hoursAgo(3), "8867-4", "vital-signs", 72, "/min");
        both.putObject("dataAbsentReason").put("text", "sensor off the wrist");
        JsonNode refused = expect(post(both), 422).json();
        assertThat(refused.toString()).contains("obs-6");

        // The vital-signs profile needs its LOINC code for oxygen saturation (2708-6), not only 59408-5.
        ObjectNode spo2 = FhirJson.quantity(patient, ItEnvironment.hoursAgo(3), "59408-5", "vital-signs", 97, "%");
        ((com.fasterxml.jackson.databind.node.ArrayNode) spo2.at("/code/coding")).remove(1);
        JsonNode magic = expect(post(spo2), 422).json();
        assertThat(magic.at("/issue/0/expression/0").asText()).isEqualTo("Observation.code");
        assertThat(magic.at("/issue/0/diagnostics").asText()).contains("2708-6");

        // A profile this server does not hold is a warning: the reading is stored.
        ObjectNode usCore = FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(2), 138, 86);
        usCore.putObject("meta").putArray("profile").add("http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure");
        JsonNode stored = expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.batch(List.of(usCore)).toString()), 200).json();
        assertThat(stored.at("/entry/0/response/status").asText()).isEqualTo("201 Created");
        assertThat(stored.at("/entry/0/response/outcome/issue/0/severity").asText()).isEqualTo("warning");
        assertThat(stored.at("/entry/0/response/outcome/issue/0/diagnostics").asText())
                .contains("us-core-blood-pressure").contains("not known");
    }

    @Test
    void aReportedDizzySpellRaisesAnAlertAndPutsAClinicianInTheLoop() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, FhirJson.bounds(0, 4, 1, 100, 0.6, true));
        expect(post(FhirJson.symptom(patient, ItEnvironment.hoursAgo(5), "404640003", "Dizziness")), 201);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 132, 84), 201);
        JsonNode decided = ItEnvironment.lastEntry(patient, "TIER_DECIDED");
        assertThat(decided.get("tier").asText()).isNotEqualTo("AUTO");
        assertThat(ItEnvironment.ruleNames(decided)).contains("Reported symptoms of hypotension");
        assertThat(decided.at("/context/clinical/hypotensionSymptom").asText()).startsWith("dizziness (SNOMED 404640003)");
        JsonNode issues = expect(api.get("/fhir/DetectedIssue?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200)
                .json();
        assertThat(issues.toString()).contains("hypotension-symptoms");

        // A symptom that does not suggest low pressure is kept but does not alert.
        String other = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, FhirJson.bounds(0, 4, 1, 100, 0.6, true));
        expect(post(FhirJson.symptom(other, ItEnvironment.hoursAgo(5), "49727002", "Cough")), 201);
        expect(clinic.postReading(other, ItEnvironment.hoursAgo(2), 132, 84), 201);
        assertThat(ItEnvironment.ruleNames(ItEnvironment.lastEntry(other, "TIER_DECIDED")))
                .doesNotContain("Reported symptoms of hypotension");
    }

    @Test
    void aRecordedPregnancyBlocksAnIncreaseAndAFallingEgfrToo() {
        String pregnant = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, FhirJson.bounds(0, 4, 1, 100, 0.6, true));
        expect(post(FhirJson.pregnancyStatus(pregnant, ItEnvironment.hoursAgo(48), true)), 201);
        expect(clinic.postReading(pregnant, ItEnvironment.hoursAgo(2), 151, 94), 201);
        assertThat(ItEnvironment.lastEntry(pregnant, "TIER_DECIDED").get("tier").asText()).isEqualTo("BLOCKED");

        String kidneys = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 2, FhirJson.bounds(0, 4, 1, 100, 0.6, true));
        expect(post(FhirJson.quantity(kidneys, ItEnvironment.hoursAgo(24 * 60), "33914-3", "laboratory", 80,
                "mL/min/{1.73_m2}")), 201);
        expect(post(FhirJson.quantity(kidneys, ItEnvironment.hoursAgo(24), "33914-3", "laboratory", 50,
                "mL/min/{1.73_m2}")), 201);
        expect(clinic.postReading(kidneys, ItEnvironment.hoursAgo(2), 151, 94), 201);
        JsonNode decided = ItEnvironment.lastEntry(kidneys, "TIER_DECIDED");
        assertThat(decided.get("tier").asText()).isEqualTo("BLOCKED");
        assertThat(ItEnvironment.ruleNames(decided)).contains("eGFR falling too fast for an increase");
    }

    @Test
    void aDeviceBelongsToItsPatientAndIntakeIsReportedByThePatient() {
        String owner = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        JsonNode cuff = expect(post(FhirJson.device(owner, "Home blood pressure cuff")), 201).json();
        String deviceRef = "Device/" + cuff.get("id").asText();

        ObjectNode ownReading = FhirJson.quantity(owner, ItEnvironment.hoursAgo(4), "8867-4", "vital-signs", 64, "/min");
        ownReading.putObject("device").put("reference", deviceRef);
        expect(post(ownReading), 201);

        String other = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        ObjectNode borrowed = FhirJson.quantity(other, ItEnvironment.hoursAgo(1), "8867-4", "vital-signs", 64, "/min");
        borrowed.putObject("device").put("reference", deviceRef);
        ClinLoopClient.Reply refused = post(borrowed);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.json().get("issue").get(0).get("expression").get(0).asText()).isEqualTo("Observation.device");
        assertThat(refused.json().get("issue").get(0).get("diagnostics").asText())
                .contains("expected a device of Patient/" + other);
        assertThat(expect(api.get("/fhir/Device?patient=" + owner, clinic.clinician(Clinic.RIVERA)), 200)
                .json().get("total").asInt()).isEqualTo(1);

        // A patient registers their own cuff and reports their own doses, nobody else's.
        String jones = clinic.patient(Clinic.JONES);
        expect(api.post("/fhir/Device", jones, ClinLoopClient.FHIR_JSON,
                FhirJson.device(Clinic.JONES_ID, "Home blood pressure cuff").toString()), 201);
        assertThat(api.post("/fhir/Device", jones, ClinLoopClient.FHIR_JSON,
                FhirJson.device(other, "cuff").toString()).status()).as("not hers to register").isEqualTo(403);
        JsonNode taken = expect(api.post("/fhir/MedicationStatement", jones, ClinLoopClient.FHIR_JSON,
                FhirJson.intake(Clinic.JONES_ID, ItEnvironment.hoursAgo(3), "29046", "completed").toString()), 201).json();
        assertThat(expect(api.get("/fhir/MedicationStatement?patient=" + Clinic.JONES_ID, clinic.clinician(Clinic.RIVERA)),
                200).body()).contains(taken.get("id").asText());
        assertThat(api.post("/fhir/MedicationStatement", jones, ClinLoopClient.FHIR_JSON,
                FhirJson.intake(other, ItEnvironment.hoursAgo(3), "29046", "completed").toString()).status())
                .isEqualTo(403);
        assertThat(ItEnvironment.lastEntry(Clinic.JONES_ID, "INTAKE_REPORTED").get("status").asText())
                .isEqualTo("completed");
    }

    @Test
    void patientsAreFoundByIdentifierNameAndBirthDateWithinWhatTheCallerMaySee() {
        String family = "Zq" + UUID.randomUUID().toString().substring(0, 6);
        String a = "it-" + UUID.randomUUID().toString().substring(0, 12);
        String b = "it-" + UUID.randomUUID().toString().substring(0, 12);
        clinic.registerPatient(a, family, "Ada", "female", "1955-03-04", "dr-rivera");
        clinic.registerPatient(b, family + "son", "Bo", "male", "1962-11-30", "dr-okafor");

        assertThat(ids(api.get("/fhir/Patient?name=" + family.toLowerCase(), clinic.ehr()))).containsExactlyInAnyOrder(a, b);
        assertThat(ids(api.get("/fhir/Patient?name=" + family + "&birthdate=1955-03-04", clinic.ehr())))
                .containsExactly(a);
        assertThat(ids(api.get("/fhir/Patient?name=" + family + "&birthdate=ge1960-01-01&birthdate=lt1963", clinic.ehr())))
                .containsExactly(b);
        assertThat(ids(api.get("/fhir/Patient?identifier=urn:clinloop:demo-mrn%7C" + b, clinic.ehr()))).containsExactly(b);
        assertThat(ids(api.get("/fhir/Patient?name=Ada&birthdate=1955-03-04", clinic.ehr()))).contains(a);
        // A clinician searches their own panel only; an EHR must say what it looks for.
        assertThat(ids(api.get("/fhir/Patient?name=" + family, clinic.clinician(Clinic.RIVERA)))).containsExactly(a);
        assertThat(ids(api.get("/fhir/Patient?name=" + family, clinic.clinician(Clinic.OKAFOR)))).containsExactly(b);
        ClinLoopClient.Reply unconstrained = api.get("/fhir/Patient", clinic.ehr());
        assertThat(unconstrained.status()).isEqualTo(422);
        assertThat(unconstrained.body()).contains("identifier, name or birthdate");
        assertThat(api.get("/fhir/Patient?birthdate=1955-02-30", clinic.ehr()).status()).isEqualTo(400);
    }

    @Test
    void theBloodPressureGoalIsAFhirGoal() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        String token = clinic.clinician(Clinic.RIVERA);
        JsonNode protocol = expect(api.get("/fhir/Goal/bp-" + patient, token), 200).json();
        assertThat(protocol.at("/target/0/detailRange/high/value").asDouble()).isEqualTo(130.0);
        assertThat(protocol.at("/target/1/detailRange/high/value").asDouble()).isEqualTo(80.0);
        assertThat(protocol.at("/expressedBy/display").asText()).isEqualTo("protocol");

        expect(api.put("/api/patients/" + patient + "/goal", token, ClinLoopClient.JSON_TYPE,
                "{\"systolicTarget\":125,\"diastolicTarget\":75}"), 200);
        JsonNode set = expect(api.get("/fhir/Goal?patient=" + patient, token), 200).json();
        assertThat(set.get("total").asInt()).isEqualTo(1);
        JsonNode goal = set.at("/entry/0/resource");
        assertThat(goal.at("/target/0/measure/coding/0/code").asText()).isEqualTo("8480-6");
        assertThat(goal.at("/target/0/detailRange/high/value").asDouble()).isEqualTo(125.0);
        assertThat(goal.at("/target/0/detailRange/high/code").asText()).isEqualTo("mm[Hg]");
        assertThat(goal.at("/target/1/detailRange/high/value").asDouble()).isEqualTo(75.0);
        assertThat(goal.at("/expressedBy/display").asText()).isEqualTo(Clinic.RIVERA);
        assertThat(goal.at("/subject/reference").asText()).isEqualTo("Patient/" + patient);

        assertThat(api.get("/fhir/Goal/bp-" + patient, clinic.clinician(Clinic.OKAFOR)).status()).isEqualTo(403);
        assertThat(api.get("/fhir/Goal/bp-nobody-here", token).status()).isEqualTo(404);
        assertThat(api.put("/fhir/Goal/bp-" + patient, token, ClinLoopClient.FHIR_JSON, goal.toString()).status())
                .as("goals are set through the care plan, not written over FHIR").isIn(400, 405);
    }

    @Test
    void theCapabilityStatementListsExactlyWhatIsSupported() {
        JsonNode cs = expect(api.get("/fhir/metadata", null), 200).json();
        assertThat(cs.get("fhirVersion").asText()).isEqualTo("4.0.1");
        java.util.Map<String, Set<String>> interactions = new java.util.TreeMap<>();
        java.util.Map<String, Set<String>> params = new java.util.TreeMap<>();
        java.util.Map<String, Set<String>> operations = new java.util.TreeMap<>();
        for (JsonNode r : cs.at("/rest/0/resource")) {
            String type = r.get("type").asText();
            Set<String> i = new TreeSet<>();
            r.path("interaction").forEach(n -> i.add(n.get("code").asText()));
            interactions.put(type, i);
            Set<String> p = new TreeSet<>();
            r.path("searchParam").forEach(n -> p.add(n.get("name").asText()));
            params.put(type, p);
            Set<String> o = new TreeSet<>();
            r.path("operation").forEach(n -> o.add(n.get("name").asText()));
            operations.put(type, o);
        }
        Set<String> readSearch = Set.of("read", "search-type");
        assertThat(interactions).containsExactlyInAnyOrderEntriesOf(java.util.Map.ofEntries(
                java.util.Map.entry("Patient", Set.of("create", "read", "update", "search-type")),
                java.util.Map.entry("Observation", Set.of("create", "read", "search-type")),
                java.util.Map.entry("Device", Set.of("create", "read", "search-type")),
                java.util.Map.entry("MedicationStatement", Set.of("create", "read", "search-type")),
                java.util.Map.entry("MedicationRequest", Set.of("create", "read", "search-type")),
                java.util.Map.entry("Task", readSearch),
                java.util.Map.entry("DetectedIssue", readSearch),
                java.util.Map.entry("Goal", readSearch),
                java.util.Map.entry("MeasureReport", readSearch),
                java.util.Map.entry("AuditEvent", readSearch),
                java.util.Map.entry("Provenance", readSearch),
                // HAPI describes the $lastn operation it serves as an OperationDefinition.
                java.util.Map.entry("OperationDefinition", Set.of("read"))));
        assertThat(params.get("Patient")).contains("identifier", "name", "birthdate");
        assertThat(params.get("Observation")).contains("patient", "code", "date", "_lastUpdated");
        assertThat(operations.get("Observation")).contains("lastn");
        Set<String> system = new TreeSet<>();
        cs.at("/rest/0/interaction").forEach(n -> system.add(n.get("code").asText()));
        assertThat(system).contains("transaction", "batch");
        for (String writable : List.of("AuditEvent", "Provenance", "Task", "DetectedIssue", "Goal")) {
            assertThat(api.post("/fhir/" + writable, clinic.ehr(), ClinLoopClient.FHIR_JSON,
                    "{\"resourceType\":\"" + writable + "\"}").status()).as(writable + " is not writable").isIn(400, 405);
        }
        // The EHR's prescriptions are the one MedicationRequest a client writes; an empty one names what is missing.
        JsonNode empty = expect(api.post("/fhir/MedicationRequest", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                "{\"resourceType\":\"MedicationRequest\"}"), 422).json();
        assertThat(empty.toString()).contains("MedicationRequest.subject", "MedicationRequest.intent",
                "MedicationRequest.authoredOn");
    }

    static List<String> ids(ClinLoopClient.Reply reply) {
        List<String> out = new ArrayList<>();
        expect(reply, 200).json().path("entry").forEach(e -> out.add(e.at("/resource/id").asText()));
        return out;
    }
}
