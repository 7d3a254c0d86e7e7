package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What happens when nobody acts: tasks expire, high-severity alerts escalate, deliveries the app
 * did not acknowledge are flagged. Time is moved by back-dating rows in PostgreSQL; the server's
 * sweeps (every 3 s in this test server) do the rest.
 */
class TimePassingIT {

    static Clinic clinic;
    static ClinLoopClient api;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        api = clinic.api();
    }

    static void sql(String statement, String id) throws Exception {
        try (Connection c = DriverManager.getConnection(System.getProperty("clinloop.db.url"), "postgres", "");
             PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, id);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
    }

    @Test
    void aTaskNobodyDecidedExpiresAndCanNoLongerBeApproved() throws Exception {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 152, 95), 201);
        String task = expect(api.get("/fhir/Task?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("entry").get(0).get("resource").get("id").asText();

        sql("UPDATE approval_task SET expires_at = now() - interval '1 minute' WHERE id = ?", task);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(expect(api.get("/api/tasks/" + task, clinic.clinician(Clinic.RIVERA)), 200).json()
                        .get("status").asText()).isEqualTo("EXPIRED"));
        ClinLoopClient.Reply late = api.post("/api/tasks/" + task + "/approve", clinic.clinician(Clinic.RIVERA),
                ClinLoopClient.JSON_TYPE, "{}");
        assertThat(late.status()).isEqualTo(409);
        assertThat(late.body()).contains("EXPIRED");
        assertThat(EndToEndPathIT.lastEntry(patient, "TASK_EXPIRED").get("task").asText()).isEqualTo(task);
    }

    @Test
    void anUnacknowledgedCrisisEscalatesAndAnUnacknowledgedDeliveryIsFlagged() throws Exception {
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, FhirJson.bounds(0, 3, 1, 100, 0.6, true));
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1).minusSeconds(300), 190, 110), 201);
        expect(clinic.postReading(patient, ItEnvironment.hoursAgo(1), 188, 112), 201);
        JsonNode alert = expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get(0);
        assertThat(alert.get("code").asText()).isEqualTo("hypertensive-crisis");
        String task = expect(api.get("/fhir/Task?patient=" + patient, clinic.clinician(Clinic.RIVERA)), 200).json()
                .get("entry").get(0).get("resource").get("id").asText();
        expect(api.post("/api/tasks/" + task + "/approve", clinic.clinician(Clinic.RIVERA), ClinLoopClient.JSON_TYPE, "{}"), 200);
        String adjustment = expect(api.get("/api/patients/" + patient + "/adjustments", clinic.clinician(Clinic.RIVERA)), 200)
                .json().get(0).get("id").asText();

        sql("UPDATE safety_alert SET created_at = now() - interval '2 hours' WHERE id = ?", alert.get("id").asText());
        sql("UPDATE dose_adjustment SET created_at = now() - interval '2 days' WHERE id = ?", adjustment);

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonNode a = expect(api.get("/api/patients/" + patient + "/alerts", clinic.clinician(Clinic.RIVERA)), 200)
                    .json().get(0);
            assertThat(a.has("escalatedAt")).isTrue();
            JsonNode d = expect(api.get("/api/patients/" + patient + "/adjustments", clinic.clinician(Clinic.RIVERA)), 200)
                    .json().get(0);
            assertThat(d.has("flaggedAt")).isTrue();
        });
        assertThat(EndToEndPathIT.lastEntry(patient, "ALERT_ESCALATED").get("code").asText()).isEqualTo("hypertensive-crisis");
        assertThat(EndToEndPathIT.lastEntry(patient, "DELIVERY_UNACKNOWLEDGED").get("adjustment").asText())
                .isEqualTo(adjustment);
    }
}
