package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 6: a transaction or batch Bundle of more entries than the cap (1000 by default)
 * is refused whole with 413 and an OperationOutcome naming the cap and the count, before any entry
 * is looked at: nothing is stored and nothing is recorded about its entries.
 */
class BundleEntryCapIT {

    static final int CAP = 1000;

    static Clinic clinic;
    static ClinLoopClient api;
    static String patient;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
    }

    /** {@code count} heart rates of the patient, a second apart; the last refers to a patient that does not exist. */
    static List<ObjectNode> readings(int count) {
        List<ObjectNode> readings = new ArrayList<>();
        Instant start = Instant.now().minus(Duration.ofHours(2));
        for (int i = 0; i < count; i++) {
            readings.add(FhirJson.quantity(i == count - 1 ? "no-such-patient" : patient, start.plusSeconds(i), "8867-4",
                    "vital-signs", 60 + i % 40, "/min"));
        }
        return readings;
    }

    @Test
    void aTransactionOneOverTheCapIsRefusedWholeBeforeItsEntriesAreChecked() {
        int before = stored();
        ClinLoopClient.Reply r = api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.transaction(readings(CAP + 1)).toString());
        assertRefusedForTheCap(r, "transaction", CAP + 1, before);
    }

    @Test
    void aBatchOverTheCapIsRefusedWholeToo() {
        int before = stored();
        ClinLoopClient.Reply r = api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.batch(readings(CAP + 250)).toString());
        assertRefusedForTheCap(r, "batch", CAP + 250, before);
    }

    @Test
    void aBundleWithinTheCapIsWorkedOnAsBefore() {
        ClinLoopClient.Reply r = api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.batch(readings(3)).toString());
        JsonNode entries = expect(r, 200).json().get("entry");
        assertThat(entries.get(0).at("/response/status").asText()).startsWith("201");
        assertThat(entries.get(2).at("/response/status").asText()).as("the entry about no patient").startsWith("422");
    }

    private static void assertRefusedForTheCap(ClinLoopClient.Reply r, String type, int count, int storedBefore) {
        assertThat(r.status()).as(r.toString()).isEqualTo(413);
        JsonNode issue = r.json().get("issue").get(0);
        assertThat(r.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
        assertThat(issue.get("code").asText()).isEqualTo("too-costly");
        assertThat(issue.get("diagnostics").asText()).isEqualTo("Expected a " + type + " Bundle of at most " + CAP
                + " entries, found " + count + "; split it into Bundles of " + CAP + " or fewer.");
        assertThat(issue.get("expression").get(0).asText()).isEqualTo("Bundle.entry");
        assertThat(r.body()).as("no entry was looked at: the one about no patient is not mentioned")
                .doesNotContain("no-such-patient");
        assertThat(stored()).as("nothing stored").isEqualTo(storedBefore);
    }

    private static int stored() {
        return expect(api.get("/fhir/Observation?patient=" + patient + "&_count=1", clinic.ehr()), 200).json()
                .get("total").asInt();
    }
}
