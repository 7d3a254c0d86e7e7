package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand seeded mutations of valid requests (broken JSON, wrong types, huge strings, deep
 * nesting, unknown elements, wrong content types and encodings) plus oversized bodies: never a
 * 5xx, the server keeps answering, and what was stored before is byte-for-byte the same after.
 * A failure names the seed, the index and what was done, so it can be replayed.
 */
class FuzzIT {

    static final long SEED = Long.getLong("fuzz.seed", 20261123L);
    static final int MUTANTS = Integer.getInteger("fuzz.count", 10_000);
    static final int OVERSIZED = 9 * 1024 * 1024;
    static final String FUZZ_PANEL = "dr-fuzz";

    record Target(String method, String path, ObjectNode valid) {
    }

    @Test
    void mutatedInputNeverBreaksTheServerNorWhatItStored() throws Exception {
        Clinic clinic = ItEnvironment.clinic();
        ClinLoopClient api = clinic.api();
        // On a panel of its own and without a regimen: the storm must not fill a real clinician's queue.
        String patient = "it-fuzz-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        clinic.registerPatient(patient, "Fuzz", "Target", "unknown", "1960-01-01", FUZZ_PANEL);
        String putTarget = "it-fuzz-put-" + patient.substring(8);

        // What is stored before the storm, read back as the service returns it.
        Map<String, String> before = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            JsonNode created = expect(api.post("/fhir/Observation", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                    FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(30 - i), 142 + i, 90).toString()), 201).json();
            before.put("/fhir/Observation/" + created.get("id").asText(), null);
        }
        JsonNode device = expect(api.post("/fhir/Device", clinic.ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.device(patient, "home blood-pressure cuff").toString()), 201).json();
        before.put("/fhir/Device/" + device.get("id").asText(), null);
        before.put("/fhir/Patient/" + patient, null);
        for (String path : before.keySet()) {
            before.put(path, expect(api.get(path, clinic.ehr()), 200).body());
        }

        List<Target> targets = List.of(
                new Target("POST", "/fhir/Observation", FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(5), 150, 95)),
                new Target("POST", "/fhir/Observation", FhirJson.quantity(patient, ItEnvironment.hoursAgo(4), "8867-4",
                        "vital-signs", 72, "/min")),
                new Target("POST", "/fhir/Observation", FhirJson.quantity(patient, ItEnvironment.hoursAgo(4), "29463-7",
                        "vital-signs", 81.5, "kg")),
                new Target("POST", "/fhir/Observation", FhirJson.quantity(patient, ItEnvironment.hoursAgo(4), "59408-5",
                        "vital-signs", 97, "%")),
                new Target("POST", "/fhir/Patient", FhirJson.patient("ignored", "Fuzz", "Ed", "other", "1970-02-03",
                        FUZZ_PANEL)),
                new Target("PUT", "/fhir/Patient/" + putTarget, FhirJson.patient(putTarget, "Fuzz", "Put", "other",
                        "1971-03-04", FUZZ_PANEL)),
                new Target("POST", "/fhir", FhirJson.transaction(List.of(
                        FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(3), 151, 96),
                        FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(2), 149, 93)))),
                new Target("POST", "/fhir", FhirJson.batch(List.of(
                        FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(3), 151, 96),
                        FhirJson.quantity(patient, ItEnvironment.hoursAgo(4), "8867-4", "vital-signs", 70, "/min")))),
                new Target("POST", "/fhir/Device", FhirJson.device(patient, "wrist cuff")),
                new Target("POST", "/fhir/MedicationStatement", FhirJson.intake(patient, ItEnvironment.hoursAgo(6),
                        "314076", "active")));

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        Mutations mutations = new Mutations(SEED);
        List<Callable<Result>> work = new ArrayList<>(MUTANTS);
        for (int i = 0; i < MUTANTS; i++) {
            Target t = targets.get(i % targets.size());
            Mutations.Mutant m = mutations.mutate(t.valid());
            int index = i;
            work.add(() -> send(http, api.baseUrl(), clinic.ehr(), t, m, index));
        }

        // Results are read back on this thread only.
        Map<Integer, Integer> byStatus = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Result>> results = new ArrayList<>();
            for (Callable<Result> c : work) {
                results.add(pool.submit(c));
            }
            for (Future<Result> f : results) {
                Result r = f.get();
                byStatus.merge(r.status(), 1, Integer::sum);
                if (r.status() >= 500 || r.status() < 100) {
                    failures.add(r.toString());
                } else if (r.status() >= 400 && !r.outcome()) {
                    failures.add("no OperationOutcome: " + r);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("FuzzIT: %d mutants (seed %d) in %.1f s; statuses %s%n", MUTANTS, SEED, seconds, byStatus);

        // Oversized bodies: declared length and chunked, both refused before parsing.
        byte[] huge = oversized(FhirJson.bloodPressure(patient, ItEnvironment.hoursAgo(1), 150, 95));
        HttpResponse<String> declared = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/fhir/Observation"))
                .header("Authorization", "Bearer " + clinic.ehr()).header("Content-Type", ClinLoopClient.FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(declared.statusCode()).as(declared.body()).isEqualTo(413);
        assertThat(declared.body()).contains("OperationOutcome").contains("at most");
        HttpResponse<String> chunked = http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/fhir"))
                .header("Authorization", "Bearer " + clinic.ehr()).header("Content-Type", ClinLoopClient.FHIR_JSON)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(huge))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);

        assertThat(failures).as("requests answered 5xx or without an OperationOutcome").isEmpty();
        assertThat(byStatus.keySet()).as("some mutants are still valid and accepted").contains(201);

        // The server still answers, and what was stored before is unchanged.
        expect(api.get("/fhir/metadata", null), 200);
        for (Map.Entry<String, String> e : before.entrySet()) {
            assertThat(expect(api.get(e.getKey(), clinic.ehr()), 200).body()).as(e.getKey()).isEqualTo(e.getValue());
        }
        JsonNode verified = expect(api.get("/api/audit/verify", clinic.compliance()), 200).json();
        assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
    }

    record Result(int index, int status, boolean outcome, String target, String description, String body) {
        @Override
        public String toString() {
            return "#" + index + " (seed " + SEED + ") " + target + " [" + description + "] → " + status + " "
                    + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
        }
    }

    private static Result send(HttpClient http, String base, String token, Target t, Mutations.Mutant m, int index) {
        String target = t.method() + " " + t.path();
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + t.path()))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/fhir+json")
                    .method(t.method(), HttpRequest.BodyPublishers.ofByteArray(m.body()));
            if (!m.contentType().isEmpty()) {
                b.header("Content-Type", m.contentType());
            }
            if (m.header() != null) {
                b.header(m.header(), m.headerValue());
            }
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Result(index, r.statusCode(), r.body().contains("OperationOutcome"), target, m.description(),
                    r.body());
        } catch (Exception e) {
            return new Result(index, -1, false, target, m.description(), e.toString());
        }
    }

    /** A valid reading padded with a note until it is larger than the service accepts. */
    private static byte[] oversized(ObjectNode valid) {
        valid.putArray("note").addObject().put("text", "x".repeat(OVERSIZED));
        return valid.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
