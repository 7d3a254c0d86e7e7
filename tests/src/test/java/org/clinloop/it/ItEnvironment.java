package org.clinloop.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.clinloop.client.Clinic;
import org.clinloop.client.Credentials;
import org.clinloop.client.FhirJson;

/** The running service and Keycloak shared by every integration test class. */
final class ItEnvironment {

    static final String SERVICE = Objects.requireNonNull(System.getProperty("clinloop.url"), "clinloop.url");
    static final String KEYCLOAK = Objects.requireNonNull(System.getProperty("keycloak.url"), "keycloak.url");
    private static Clinic clinic;

    private ItEnvironment() {
    }

    /** The clinic, once Keycloak's realm and the service's readiness answer (Keycloak boots beside the build). */
    static synchronized Clinic clinic() {
        if (clinic == null) {
            waitFor(KEYCLOAK + "/realms/clinloop", Duration.ofMinutes(4));
            waitFor(SERVICE + "/health/ready", Duration.ofMinutes(6));
            clinic = Clinic.withPasswordGrant(SERVICE, KEYCLOAK, Credentials.fromEnvironment());
            clinic.ensureActiveModel();
        }
        return clinic;
    }

    /** A fresh patient on {@code practitioner}'s panel at {@code doseStep}; bounds as given (null: approval-only). */
    static String newPatient(String clinician, String practitioner, int doseStep, com.fasterxml.jackson.databind.node.ObjectNode bounds) {
        String id = "it-" + UUID.randomUUID().toString().substring(0, 12);
        Clinic c = clinic();
        c.registerPatient(id, "Test", "Patient", "unknown", "1960-01-01", practitioner);
        c.setRegimen(id, clinician, doseStep);
        if (bounds != null) {
            c.signBounds(id, clinician, bounds);
        }
        return id;
    }

    static com.fasterxml.jackson.databind.node.ObjectNode autonomous() {
        return FhirJson.bounds(0, 3, 1, 100, 0.6, true);
    }

    static Instant hoursAgo(int hours) {
        return Instant.now().minus(Duration.ofHours(hours)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** The detail of the newest audit entry of a type about a patient, read as the compliance officer. */
    static com.fasterxml.jackson.databind.JsonNode lastEntry(String patient, String type) {
        com.fasterxml.jackson.databind.JsonNode entries = Clinic.expect(clinic().api().get("/api/audit/entries?"
                + (patient == null ? "" : "patient=" + patient + "&") + "type=" + type + "&limit=1", clinic().compliance()),
                200).json();
        if (entries.size() != 1) {
            throw new AssertionError("expected an audit entry " + type + " for " + patient + ", found " + entries.size());
        }
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(entries.get(0).get("detailJson").asText());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of the rules that voted in a TIER_DECIDED entry. */
    static java.util.List<String> ruleNames(com.fasterxml.jackson.databind.JsonNode decided) {
        java.util.List<String> names = new java.util.ArrayList<>();
        decided.get("rulesFired").forEach(f -> names.add(f.get("rule").asText()));
        return names;
    }

    private static void waitFor(String url, Duration limit) {
        HttpClient http = HttpClient.newHttpClient();
        Instant until = Instant.now().plus(limit);
        String last = "no answer";
        while (Instant.now().isBefore(until)) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
                last = r.statusCode() + " " + r.body();
            } catch (java.io.IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(url + " did not answer 200 within " + limit + ": " + last);
    }
}
