package org.clinloop.audit.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Keycloak's record of refused sign-ins, read through its admin events API
 * ({@code GET /admin/realms/{realm}/events}) with a client that may only view events
 * ({@code clinloop-sign-in-audit}: client credentials, the {@code realm-management} role
 * {@code view-events} and nothing else). The realm stores {@code LOGIN_ERROR} (a wrong password,
 * an unknown user, a wrong OTP) and {@code CLIENT_LOGIN_ERROR} (a wrong client secret) for 30 days
 * ({@code deploy/keycloak/clinloop-realm.json}), so an import that was down catches up.
 */
final class KeycloakSignInEvents {

    static final List<String> TYPES = List.of("LOGIN_ERROR", "CLIENT_LOGIN_ERROR");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * One refused sign-in as Keycloak recorded it.
     *
     * @param time     epoch milliseconds
     * @param error    Keycloak's error code ({@code invalid_user_credentials})
     * @param username the username tried, or null (client sign-ins name none)
     */
    record Event(String id, long time, String type, String clientId, String ipAddress, String error,
                 String username) {
    }

    private final String keycloakUrl;
    private final String realm;
    private final String clientId;
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    KeycloakSignInEvents(String keycloakUrl, String realm, String clientId, String secret) {
        this.keycloakUrl = keycloakUrl.replaceAll("/+$", "");
        this.realm = realm;
        this.clientId = clientId;
        this.secret = secret;
    }

    /**
     * Refused sign-ins recorded from {@code fromMillis} to {@code toMillis} (both inclusive), oldest
     * first, at most {@code max} of them from the {@code first}.
     */
    List<Event> between(long fromMillis, long toMillis, int first, int max) throws IOException, InterruptedException {
        StringBuilder query = new StringBuilder("direction=asc&dateFrom=").append(fromMillis).append("&dateTo=")
                .append(toMillis).append("&first=").append(first).append("&max=").append(max);
        TYPES.forEach(t -> query.append("&type=").append(t));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(keycloakUrl + "/admin/realms/"
                        + enc(realm) + "/events?" + query)).timeout(TIMEOUT).header("Authorization", "Bearer " + token())
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("Expected 200 from Keycloak's events API, found " + r.statusCode() + ": "
                    + abbreviate(r.body()));
        }
        List<Event> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(r.body())) {
            JsonNode details = e.path("details");
            out.add(new Event(text(e, "id"), e.path("time").asLong(), text(e, "type"), text(e, "clientId"),
                    text(e, "ipAddress"), e.hasNonNull("error") ? text(e, "error") : text(e, "type"),
                    details.hasNonNull("username") ? details.get("username").asText() : null));
        }
        return out;
    }

    private String token() throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(keycloakUrl + "/realms/" + enc(realm)
                        + "/protocol/openid-connect/token")).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        if (body == null || !body.hasNonNull("access_token")) {
            throw new IOException("Expected a token for client " + clientId + " from Keycloak, found " + r.statusCode()
                    + ": " + abbreviate(r.body()));
        }
        return body.get("access_token").asText();
    }

    private static String text(JsonNode node, String field) {
        return node.hasNonNull(field) ? node.get(field).asText() : null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "…";
    }
}
