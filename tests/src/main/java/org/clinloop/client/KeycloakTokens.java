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
    /** The realm's example EHR system (private_key_jwt). */
    public static final String EHR_CLIENT = "clinloop-ehr";
    /** The realm's example wearable gateway (private_key_jwt; may only send observations). */
    public static final String GATEWAY_CLIENT = "clinloop-gateway";
    /** Every SMART system scope the realm lets the EHR client ask for (its optional client scopes). */
    public static final java.util.List<String> EHR_SCOPES = java.util.List.of("system/Patient.c", "system/Patient.u",
            "system/Patient.rs", "system/Observation.c", "system/Observation.rs", "system/MedicationRequest.c",
            "system/MedicationRequest.rs", "system/Device.c", "system/Device.rs", "system/MedicationStatement.c",
            "system/MedicationStatement.rs");
    /** The gateway's one scope. */
    public static final java.util.List<String> GATEWAY_SCOPES = java.util.List.of("system/Observation.c");
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

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

    /** A token of a client authenticated with a secret (client credentials): Keycloak's own clients, tests' own. */
    public String clientCredentials(String clientId, String secret) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret));
    }

    /** The same, asking for {@code scopes} (a test's own system client with a secret, for instance). */
    public String clientCredentials(String clientId, String secret, java.util.Collection<String> scopes) {
        return token(Map.of("grant_type", "client_credentials", "client_id", clientId, "client_secret", secret,
                "scope", String.join(" ", scopes)));
    }

    /**
     * A system's token as SMART Backend Services obtain one: client credentials, the client
     * authenticated by a JWT it signed ({@code private_key_jwt}), asking for {@code scopes} (none:
     * a token without system scopes, which the service refuses everything).
     */
    public String systemToken(SystemKey key, java.util.Collection<String> scopes) {
        Map<String, String> form = new java.util.LinkedHashMap<>(Map.of("grant_type", "client_credentials",
                "client_id", key.clientId(), "client_assertion_type", JWT_BEARER,
                "client_assertion", key.assertion(tokenUrl, 300)));
        if (!scopes.isEmpty()) {
            form.put("scope", String.join(" ", scopes));
        }
        return token(form);
    }

    /** The token's granted {@code scope} claim, split (for tests that check what Keycloak granted). */
    public static java.util.List<String> grantedScopes(String token) {
        try {
            com.fasterxml.jackson.databind.JsonNode claims = JSON.readTree(java.util.Base64.getUrlDecoder()
                    .decode(token.split("\\.")[1]));
            String scope = claims.path("scope").asText("").trim();
            return scope.isEmpty() ? java.util.List.of() : java.util.List.of(scope.split("\\s+"));
        } catch (IOException e) {
            throw new IllegalArgumentException("Expected a JWT, found something else", e);
        }
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
