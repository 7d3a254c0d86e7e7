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

    /**
     * Public client with the password grant, for the tests and benchmarks only: it exists in the
     * test realm that {@code ./clinloop test} generates, never in the shipped realm (the demo signs
     * in with {@link BrowserSignIn}).
     */
    public static final String DEVTOOLS_CLIENT = "clinloop-devtools";
    public static final String EHR_CLIENT = "clinloop-ehr";

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String tokenUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public KeycloakTokens(String keycloakUrl) {
        this(keycloakUrl, "clinloop");
    }

    /** Tokens from another realm of the same Keycloak (a test's copy of the shipped realm, say). */
    public KeycloakTokens(String keycloakUrl, String realm) {
        this.tokenUrl = keycloakUrl + "/realms/" + realm + "/protocol/openid-connect/token";
    }

    /** A user's token (password grant on the devtools client, test realm only); a {@link UserSignIn}. */
    public String password(String username, String password) {
        return token(Map.of("grant_type", "password", "client_id", DEVTOOLS_CLIENT, "username", username,
                "password", password));
    }

    /** A system's token (client credentials), e.g. the EHR's. */
    public String clientCredentials(String clientId, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** Exchanges an authorization code for a token (public client with PKCE: the code verifier, no secret). */
    public String authorizationCode(String clientId, String code, String redirectUri, String codeVerifier) {
        return token(Map.of("grant_type", "authorization_code", "client_id", clientId, "code", code,
                "redirect_uri", redirectUri, "code_verifier", codeVerifier));
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
