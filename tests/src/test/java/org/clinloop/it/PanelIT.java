package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: {@code GET /api/panel}, the clinician's own panel by name with a status per patient,
 * riskiest first; clinicians only, their own patients only, and recorded as a read of every
 * patient it lists.
 */
class PanelIT {

    static Clinic clinic;
    static ClinLoopClient api;
    static String waiting;
    static String calm;
    static String okafors;
    static String suffix;

    @BeforeAll
    static void panel() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        suffix = UUID.randomUUID().toString().substring(0, 8);
        waiting = "it-panel-" + suffix + "-w";
        calm = "it-panel-" + suffix + "-c";
        clinic.registerPatient(waiting, "Waiting" + suffix, "Ada", "female", "1955-03-04", "dr-rivera");
        clinic.setRegimen(waiting, Clinic.RIVERA, 1);
        clinic.registerPatient(calm, "Calm" + suffix, "Ben", "male", "1962-07-08", "dr-rivera");
        clinic.setRegimen(calm, Clinic.RIVERA, 2);
        okafors = ItEnvironment.newPatient(Clinic.OKAFOR, "dr-okafor", 2, null);
        // Far above target at step 1 of an approval-only patient: a proposal waits for Dr Rivera.
        expect(clinic.postReading(waiting, ItEnvironment.hoursAgo(2), 153, 96), 201);
        expect(clinic.postReading(calm, ItEnvironment.hoursAgo(3), 118, 72), 201);
        expect(clinic.postReading(okafors, ItEnvironment.hoursAgo(3), 150, 95), 201);
    }

    static JsonNode find(JsonNode panel, String patient) {
        for (JsonNode e : panel) {
            if (patient.equals(e.get("patientId").asText())) {
                return e;
            }
        }
        return null;
    }

    @Test
    void aClinicianSeesEveryPatientOfTheirPanelByNameWithAStatusRiskiestFirst() {
        JsonNode panel = expect(api.get("/api/panel", clinic.clinician(Clinic.RIVERA)), 200).json();
        String task = expect(api.get("/fhir/Task?patient=" + waiting, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("entry").get(0).get("resource").get("id").asText();

        JsonNode w = find(panel, waiting);
        assertThat(w).as("the patient with a proposal is listed").isNotNull();
        assertThat(w.get("name").asText()).isEqualTo("Ada Waiting" + suffix);
        assertThat(w.get("openTask").get("id").asText()).isEqualTo(task);
        assertThat(w.get("openTask").get("proposedDose").asText()).isEqualTo("lisinopril 20 mg daily");
        assertThat(w.get("inTarget").asBoolean()).isFalse();
        assertThat(w.get("weekMeanSystolic").asDouble()).isEqualTo(153.0);
        assertThat(w.get("lastReading").get("systolic").asDouble()).isEqualTo(153.0);
        assertThat(w.get("dose").asText()).isEqualTo("lisinopril 5 mg daily");
        assertThat(w.get("doseLadder")).hasSize(5);
        assertThat(w.get("autonomyEarned").asBoolean()).isFalse();
        assertThat(w.get("autonomyEnabled").asBoolean()).isFalse();
        assertThat(w.get("requiredApprovals").asInt()).isPositive();
        assertThat(w.get("openAlerts").asInt()).isZero();
        // A proposal waiting (10 for ROUTINE or more) and 23 above the protocol target of 130.
        assertThat(w.get("risk").asInt()).isGreaterThanOrEqualTo(33);
        assertThat(w.get("riskReasons").toString()).contains("proposal waiting").contains("153, 23 above target");

        JsonNode c = find(panel, calm);
        assertThat(c.get("name").asText()).isEqualTo("Ben Calm" + suffix);
        assertThat(c.get("inTarget").asBoolean()).isTrue();
        assertThat(c.get("risk").asInt()).isLessThan(w.get("risk").asInt());

        assertThat(find(panel, okafors)).as("another clinician's patient").isNull();
        List<Integer> risks = new ArrayList<>();
        panel.forEach(e -> risks.add(e.get("risk").asInt()));
        assertThat(risks).as("riskiest first").isSortedAccordingTo((a, b) -> Integer.compare(b, a));

        JsonNode theirs = expect(api.get("/api/panel", clinic.clinician(Clinic.OKAFOR)), 200).json();
        assertThat(find(theirs, okafors)).isNotNull();
        assertThat(find(theirs, waiting)).isNull();
    }

    /** A task's recorded explanation, once the decision's audit entries are chained (moments after it). */
    static JsonNode explanation(String task, String token) {
        for (int i = 0; i < 100; i++) {
            JsonNode x = expect(ItEnvironment.clinic().api().get("/api/tasks/" + task + "/explanation", token), 200).json();
            if (x.get("recorded").asBoolean()) {
                return x;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("expected the explanation of task " + task + " recorded within 10 s");
    }

    @Test
    void aProposalsExplanationShowsItsContributionsModelAndRulesToThePatientsClinicianOnly() {
        JsonNode task = expect(api.get("/fhir/Task?patient=" + waiting, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("entry").get(0).get("resource");
        String id = task.get("id").asText();
        JsonNode x = explanation(id, clinic.clinician(Clinic.RIVERA));
        JsonNode full = expect(api.get("/api/tasks/" + id, clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(x.get("patientId").asText()).isEqualTo(waiting);
        assertThat(x.get("proposalId").asText()).isEqualTo(full.get("proposalId").asText());
        assertThat(x.get("modelId").asText()).isEqualTo(full.get("modelId").asText());
        assertThat(x.get("tier").asText()).isEqualTo("NEEDS_APPROVAL");
        assertThat(x.get("probabilities").get(full.get("direction").asText()).asDouble())
                .isEqualTo(full.get("probability").asDouble());
        assertThat(x.get("contributions").size()).isPositive();
        double sum = x.get("intercept").asDouble();
        for (JsonNode c : x.get("contributions")) {
            sum += c.get("contribution").asDouble();
        }
        assertThat(sum).as("intercept plus contributions is the margin").isCloseTo(x.get("margin").asDouble(),
                org.assertj.core.api.Assertions.within(1e-6));
        List<String> rules = new ArrayList<>();
        x.get("rulesFired").forEach(f -> rules.add(f.get("rule").asText() + ": " + f.get("reason").asText()));
        assertThat(rules).isNotEmpty();

        assertThat(api.get("/api/tasks/" + id + "/explanation", clinic.clinician(Clinic.OKAFOR)).status())
                .as("another clinician's task is answered as a missing one").isEqualTo(404);
        assertThat(api.get("/api/tasks/" + id + "/explanation", clinic.patient(Clinic.JONES)).status()).isEqualTo(403);
        assertThat(api.get("/api/tasks/" + id + "/explanation", null).status()).isEqualTo(401);
        assertThat(api.get("/api/tasks/" + id + "/explanation", clinic.compliance()).status()).isEqualTo(200);
    }

    @Test
    void theStepsOfferedForAModificationAreExactlyTheOnesAModificationWouldDeliver() {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(2), 153, 96), 201);
        String task = null;
        for (JsonNode t : expect(api.get("/api/tasks?status=REQUESTED", clinic.clinician(Clinic.RIVERA)), 200).json()) {
            if (patient.equals(t.get("patientId").asText())) {
                task = t.get("id").asText();
            }
        }
        assertThat(task).as("an increase waits for approval").isNotNull();
        // A high potassium from the EHR after the proposal: increases are now contraindicated.
        expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON, org.clinloop.client.FhirJson.quantity(
                patient, ItEnvironment.hoursAgo(1), "2823-3", "laboratory", 6.3, "mmol/L").toString()), 201);

        JsonNode options = expect(api.get("/api/tasks/" + task + "/steps", clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(options.get("patientId").asText()).isEqualTo(patient);
        List<Integer> allowed = new ArrayList<>();
        for (JsonNode o : options.get("steps")) {
            int step = o.get("step").asInt();
            if (o.get("allowed").asBoolean()) {
                allowed.add(step);
            } else if (step > 1) {
                assertThat(o.get("refusals").toString()).as("step " + step).contains("Potassium too high for an increase");
            }
        }
        assertThat(allowed).as("only the decrease: the current step is a hold, every increase is contraindicated")
                .containsExactly(0);
        // What was refused in the list is refused when asked, in the same words; what was offered is delivered.
        ClinLoopClient.Reply refused = api.post("/api/tasks/" + task + "/modify", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{\"toStep\": 3, \"note\": \"try\"}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(422);
        assertThat(refused.body()).contains("Potassium too high for an increase");
        expect(api.get("/api/tasks/" + task + "/steps", clinic.clinician(Clinic.OKAFOR)), 404);
        expect(api.post("/api/tasks/" + task + "/modify", clinic.clinician(Clinic.RIVERA), ClinLoopClient.JSON_TYPE,
                "{\"toStep\": 0, \"note\": \"potassium 6.3: step down\"}"), 200);
        expect(api.get("/api/tasks/" + task + "/steps", clinic.clinician(Clinic.RIVERA)), 409);
    }

    @Test
    void theNewReadsDenyByDefault() {
        String patient = clinic.patient(Clinic.LEE);
        String model = clinic.ensureActiveModel();
        for (String path : List.of("/api/live", "/api/audit/event-types", "/api/models/" + model + "/gates",
                "/api/tasks/any-task/steps")) {
            assertThat(api.get(path, null).status()).as("no token: " + path).isEqualTo(401);
            String accept = path.equals("/api/live") ? "text/event-stream" : "application/json";
            assertThat(api.get(path, patient, accept).status()).as("a patient: " + path).isEqualTo(403);
        }
        assertThat(api.get("/api/audit/event-types", clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(403);
        assertThat(api.get("/api/models/" + model + "/gates", clinic.clinician(Clinic.RIVERA)).status()).isEqualTo(403);
        ClinLoopClient.Reply unknown = api.get("/api/models/no-such-model/gates", clinic.steward());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
    }

    @Test
    void onlyAClinicianReadsAPanelAndOnlyTheirOwn() {
        assertThat(api.get("/api/panel", null).status()).isEqualTo(401);
        assertThat(api.get("/api/panel", clinic.patient(Clinic.JONES)).status()).isEqualTo(403);
        assertThat(api.get("/api/panel", clinic.compliance()).status()).isEqualTo(403);
        assertThat(api.get("/api/panel", clinic.ehr()).status()).isEqualTo(403);
        assertThat(api.get("/api/panel", clinic.steward()).status()).isEqualTo(403);
    }

    @Test
    void aPanelReadIsRecordedAsOneReadNamingEveryPatientListed() throws Exception {
        JsonNode panel = expect(api.get("/api/panel", clinic.clinician(Clinic.RIVERA)), 200).json();
        JsonNode detail = null;
        for (int i = 0; i < 100 && detail == null; i++) {
            for (JsonNode entry : expect(api.get("/api/audit/entries?type=PATIENT_DATA_READ&actor=" + Clinic.RIVERA
                    + "&limit=20", clinic.compliance()), 200).json()) {
                JsonNode d = new ObjectMapper().readTree(entry.get("detailJson").asText());
                if (d.get("resource").asText().endsWith("/api/panel") && d.get("patients").toString().contains(waiting)) {
                    detail = d;
                    break;
                }
            }
            if (detail == null) {
                Thread.sleep(100);
            }
        }
        assertThat(detail).as("a PATIENT_DATA_READ of /api/panel naming the patients").isNotNull();
        assertThat(detail.get("request").asText()).isEqualTo("GET /api/panel");
        assertThat(detail.get("returned").asInt()).isEqualTo(panel.size());
        assertThat(detail.get("patients").toString()).contains(waiting).contains(calm).doesNotContain(okafors);
        assertThat(detail.get("outcome").asText()).isEqualTo("SUCCESS");
    }
}
