package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.FhirJson;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 6: a flood of large Bundles is answered 503 with Retry-After and an
 * OperationOutcome for what does not fit the bound on request bodies in progress (32 MiB by
 * default: four of the largest), never with a 500 nor by running out of heap; the service stays
 * up and ready and takes the next reading. Runs on the service's defaults: 12 Bundles of ~7.5 MiB
 * at once (each of ~9,000 readings, so an admitted one is refused by the entry cap once parsed,
 * the costliest point of its life: the parse holds ~16× the body in heap).
 */
class InFlightLimitIT {

    static final int BUNDLES = 12;
    static final int BODY = 7_500_000;

    @Test
    void aFloodOfLargeBundlesGetsFast503sAndTheServiceStaysUp() throws Exception {
        Clinic clinic = ItEnvironment.clinic();
        ClinLoopClient api = clinic.api();
        String patient = ItEnvironment.newPatient(Clinic.RIVERA, "dr-rivera", 1, null);
        String token = clinic.ehr();
        byte[] body = largeBundle(patient);
        assertThat(body.length).isBetween(BODY - 10_000, 8 * 1024 * 1024 - 1);

        // HTTP/1.1, as gateways and the benchmarks send (no h2c upgrade of an 8 MiB body).
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        ExecutorService pool = Executors.newFixedThreadPool(BUNDLES);
        CountDownLatch go = new CountDownLatch(1);
        // Every body is sent in two parts: the rest only once every request has begun (or after 10 s), so
        // that all of them are in progress at once however fast the machine works through one.
        CountDownLatch begun = new CountDownLatch(BUNDLES);
        List<Future<HttpResponse<String>>> sent = new ArrayList<>();
        try {
            for (int i = 0; i < BUNDLES; i++) {
                sent.add(pool.submit(() -> {
                    go.await();
                    return http.send(HttpRequest.newBuilder(URI.create(api.baseUrl() + "/fhir"))
                            .timeout(Duration.ofSeconds(180))
                            .header("Authorization", "Bearer " + token)
                            .header("Content-Type", ClinLoopClient.FHIR_JSON)
                            .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(
                                    () -> heldBack(body, begun)), body.length)).build(),
                            HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            Map<Integer, Integer> byStatus = new TreeMap<>();
            List<HttpResponse<String>> unavailable = new ArrayList<>();
            for (Future<HttpResponse<String>> f : sent) {
                HttpResponse<String> r = f.get(240, TimeUnit.SECONDS);
                byStatus.merge(r.statusCode(), 1, Integer::sum);
                if (r.statusCode() == 503) {
                    unavailable.add(r);
                }
            }
            System.out.printf("InFlightLimitIT: %d Bundles of %d bytes at once: statuses %s%n", BUNDLES, body.length,
                    byStatus);
            assertThat(byStatus.keySet()).as("only the bound (503) and the entry cap (413) answer").isSubsetOf(413, 503);
            assertThat(unavailable).as("what did not fit was refused").isNotEmpty();
            assertThat(byStatus.getOrDefault(413, 0)).as("what fitted was worked on").isPositive();
            for (HttpResponse<String> r : unavailable) {
                assertThat(r.headers().firstValue("Retry-After")).hasValue("2");
                JsonNode outcome = new ObjectMapper().readTree(r.body());
                assertThat(outcome.get("resourceType").asText()).isEqualTo("OperationOutcome");
                assertThat(outcome.at("/issue/0/code").asText()).isEqualTo("throttled");
                assertThat(outcome.at("/issue/0/diagnostics").asText())
                        .startsWith("Expected request bodies of at most 33554432 bytes in progress at once, found ")
                        .contains("retry after 2 s");
            }
        } finally {
            pool.shutdownNow();
        }

        // Still up, ready, and taking readings.
        expect(api.get("/health/ready", null), 200);
        expect(api.post("/fhir/Observation", token, ClinLoopClient.FHIR_JSON, FhirJson.bloodPressure(patient,
                Instant.now().minus(Duration.ofMinutes(2)), 139, 87).toString()), 201);
        // Once the flood is over, a large Bundle is worked on again (and refused by the entry cap).
        assertThat(api.postBytes("/fhir", token, ClinLoopClient.FHIR_JSON, body).status()).isEqualTo(413);
    }

    /** A transaction of heart rates of about {@link #BODY} bytes, the shape that costs most heap per byte parsed. */
    static byte[] largeBundle(String patient) {
        Instant start = Instant.now().minus(Duration.ofDays(2));
        StringBuilder json = new StringBuilder(BODY + 2_000).append("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
        for (int i = 0; json.length() < BODY; i++) {
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"resource\":").append(FhirJson.quantity(patient, start.plusSeconds(i), "8867-4", "vital-signs",
                    60 + i % 40, "/min")).append(",\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code body}'s first 64 KiB at once, the rest once {@code begun} reaches zero (or after 10 s). */
    static java.io.InputStream heldBack(byte[] body, CountDownLatch begun) {
        int head = 64 * 1024;
        java.io.InputStream rest = new java.io.InputStream() {
            private java.io.InputStream bytes;

            private java.io.InputStream bytes() throws java.io.IOException {
                if (bytes == null) {
                    begun.countDown();
                    try {
                        begun.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new java.io.InterruptedIOException();
                    }
                    bytes = new java.io.ByteArrayInputStream(body, head, body.length - head);
                }
                return bytes;
            }

            @Override
            public int read() throws java.io.IOException {
                return bytes().read();
            }

            @Override
            public int read(byte[] b, int off, int len) throws java.io.IOException {
                return bytes().read(b, off, len);
            }
        };
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(body, 0, head), rest);
    }
}
