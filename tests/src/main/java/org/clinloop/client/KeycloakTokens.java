package org.clinloop.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;

/** Obtains access tokens from the ClinLoop realm. */
public final class KeycloakTokens {

    /** Public client for tools and tests (password grant); not present in production realms. */
    public static final String DEVTOOLS_CLIENT = "clinloop-devtools";
    public static final String EHR_CLIENT = "clinloop-ehr";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String tokenUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public KeycloakTokens(String keycloakUrl) {
        this.tokenUrl = keycloakUrl + "/realms/clinloop/protocol/openid-connect/token";
    }

    /** A user's token (password grant on the devtools client). */
    public String password(String username, String password) {
        return token(Map.of("grant_type", "password", "client_id", DEVTOOLS_CLIENT, "username", username,
                "password", password));
    }

    /** A system's token (client credentials), e.g. the EHR's. */
    public String clientCredentials(String clientId, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    private String token(Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + form.getOrDefault("username",
                        form.get("client_id")) + ": " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body()).get("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak at " + tokenUrl + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted", e);
        }
    }
}
