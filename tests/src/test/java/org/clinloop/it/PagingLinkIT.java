package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 6: a FHIR paging link answers only the caller whose search created it. Anyone
 * else following it is answered as for a page id that never existed.
 */
class PagingLinkIT {

    static Clinic clinic;
    static ClinLoopClient api;
    static String patient;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
        clinic.registerPatient(Clinic.LEE_ID, "Lee", "Sam", "male", "1958-09-17", "dr-rivera");
        patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        List<ObjectNode> readings = new ArrayList<>();
        for (int h = 6; h >= 1; h--) {
            readings.add(FhirJson.quantity(patient, ItEnvironment.hoursAgo(h), "8867-4", "vital-signs", 60 + h, "/min"));
        }
        expect(api.post("/fhir", clinic.ehr(), ClinLoopClient.FHIR_JSON, FhirJson.transaction(readings).toString()), 200);
    }

    /** The path of the {@code next} link of Dr Rivera's first page of the patient's readings. */
    static String riverasNextPage() {
        JsonNode first = expect(api.get("/fhir/Observation?patient=" + patient + "&_count=2",
                clinic.clinician(Clinic.RIVERA)), 200).json();
        for (JsonNode link : first.get("link")) {
            if ("next".equals(link.get("relation").asText())) {
                String url = link.get("url").asText();
                return url.substring(url.indexOf("/fhir"));
            }
        }
        throw new AssertionError("expected a next link, found " + first.get("link"));
    }

    /** The same link with a page id that was never issued. */
    static String unknownPage(String next) {
        String id = next.replaceAll(".*[?&]_getpages=([^&]+).*", "$1");
        return next.replace(id, UUID.randomUUID().toString());
    }

    /** The body with the page id taken out, so answers about two ids can be compared. */
    static String withoutPageId(ClinLoopClient.Reply reply, String path) {
        return reply.body().replace(path.replaceAll(".*[?&]_getpages=([^&]+).*", "$1"), "PAGE");
    }

    @Test
    void theCreatorFollowsTheirOwnLink() {
        String next = riverasNextPage();
        JsonNode page = expect(api.get(next, clinic.clinician(Clinic.RIVERA)), 200).json();
        assertThat(page.get("entry")).hasSize(2);
        assertThat(page.get("entry").get(0).get("resource").get("subject").get("reference").asText())
                .isEqualTo("Patient/" + patient);
        // Following it again still works: the binding is checked, not consumed.
        expect(api.get(next, clinic.clinician(Clinic.RIVERA)), 200);
    }

    @Test
    void anyoneElseIsAnsweredAsForAPageThatDoesNotExist() {
        String next = riverasNextPage();
        String unknown = unknownPage(next);
        for (String token : List.of(clinic.patient(Clinic.LEE), clinic.clinician(Clinic.OKAFOR), clinic.ehr())) {
            ClinLoopClient.Reply followed = api.get(next, token);
            ClinLoopClient.Reply never = api.get(unknown, token);
            assertThat(followed.status()).as("someone else's paging link: " + followed).isNotEqualTo(200);
            assertThat(followed.status()).as("HAPI's answer to an unknown or expired page id").isEqualTo(410)
                    .isEqualTo(never.status());
            assertThat(followed.json().get("resourceType").asText()).isEqualTo("OperationOutcome");
            assertThat(followed.body()).doesNotContain(patient);
            assertThat(withoutPageId(followed, next)).isEqualTo(withoutPageId(never, unknown));
        }
        assertThat(api.get(next, null).status()).as("no token").isEqualTo(401);
        assertThat(api.get(unknown, null).status()).as("no token").isEqualTo(401);
        // The refusals did not spoil the link for its creator.
        expect(api.get(next, clinic.clinician(Clinic.RIVERA)), 200);
    }
}
