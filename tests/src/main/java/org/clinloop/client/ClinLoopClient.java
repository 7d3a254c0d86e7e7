package org.clinloop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Minimal HTTP client for the ClinLoop REST and FHIR APIs. */
public final class ClinLoopClient {

    public static final String FHIR_JSON = "application/fhir+json";
    public static final String JSON_TYPE = "application/json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ClinLoopClient(String baseUrl) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    }

    /** One HTTP answer. */
    public record Reply(int status, String body, HttpHeaders headers) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("Expected JSON, found: " + body, e);
            }
        }

        @Override
        public String toString() {
            return status + " " + (body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Reply get(String path, String token) {
        return send(request(path, token).GET().build());
    }

    /** GET with an explicit Accept header (e.g. application/x-ndjson for exports). */
    public Reply get(String path, String token, String accept) {
        return send(request(path, token).setHeader("Accept", accept).GET().build());
    }

    public Reply post(String path, String token, String contentType, String body) {
        return send(request(path, token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** POST with extra headers (e.g. Prefer: return=OperationOutcome). */
    public Reply post(String path, String token, String contentType, String body, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = request(path, token).header("Content-Type", contentType);
        headers.forEach(b::header);
        return send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    public Reply put(String path, String token, String contentType, String body) {
        return send(request(path, token).header("Content-Type", contentType)
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** POST a raw body with any content type (for testing what the server refuses). */
    public Reply postBytes(String path, String token, String contentType, byte[] body) {
        return send(request(path, token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json, application/fhir+json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private Reply send(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
