package org.clinloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The test Keycloak's admin API, for tests that need an identity of their own (a system client
 * whose limits no other test shares). Signs in as the bootstrap admin that {@code ./clinloop test}
 * generated ({@code KC_BOOTSTRAP_ADMIN_PASSWORD}).
 */
final class KeycloakAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String keycloak;
    private final String password;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    KeycloakAdmin(String keycloak) {
        this.keycloak = keycloak;
        this.password = Objects.requireNonNull(System.getenv("KC_BOOTSTRAP_ADMIN_PASSWORD"),
                "KC_BOOTSTRAP_ADMIN_PASSWORD is not set: run through ./clinloop test (it generates the test secrets)");
    }

    /**
     * A confidential client of the ClinLoop realm with client credentials and a secret, a service
     * account of {@code role}, the {@code clinloop-api} scope and {@code systemScopes} (SMART system
     * scopes it may ask for); an older one of the same id is replaced.
     */
    void createSystemClient(String clientId, String secret, String role, java.util.Collection<String> systemScopes) {
        ObjectNode client = JSON.createObjectNode().put("clientAuthenticatorType", "client-secret").put("secret", secret);
        createSystemClient(clientId, client, role, systemScopes);
    }

    /**
     * A system client as SMART Backend Services register one: authenticated by a JWT it signs
     * ({@code private_key_jwt}: Keycloak's {@code client-jwt} authenticator, RS384) and checked
     * against the JWKS registered here ({@code jwks}: the public keys, as JSON), a service account of
     * {@code role}, and {@code systemScopes} it may ask for; an older one of the same id is replaced.
     */
    void createJwtClient(String clientId, String jwks, String role, java.util.Collection<String> systemScopes) {
        ObjectNode client = JSON.createObjectNode().put("clientAuthenticatorType", "client-jwt");
        client.putObject("attributes").put("use.jwks.url", "false").put("use.jwks.string", "true")
                .put("jwks.string", jwks).put("token.endpoint.auth.signing.alg", "RS384");
        createSystemClient(clientId, client, role, systemScopes);
    }

    private void createSystemClient(String clientId, ObjectNode client, String role, java.util.Collection<String> systemScopes) {
        String admin = token();
        deleteClient(clientId, admin);
        client.put("clientId", clientId).put("enabled", true).put("publicClient", false)
                .put("standardFlowEnabled", false).put("directAccessGrantsEnabled", false)
                .put("serviceAccountsEnabled", true);
        client.putArray("defaultClientScopes").add("clinloop-api");
        com.fasterxml.jackson.databind.node.ArrayNode optional = client.putArray("optionalClientScopes");
        systemScopes.forEach(optional::add);
        HttpResponse<String> created = send("POST", "/clients", admin, client.toString());
        require(created, 201);
        String id = created.headers().firstValue("Location").map(l -> l.substring(l.lastIndexOf('/') + 1))
                .orElseThrow(() -> new IllegalStateException("Keycloak created a client without a Location"));
        JsonNode all = json(require(send("GET", "/client-scopes", admin, null), 200));
        JsonNode defaults = json(require(send("GET", "/clients/" + id + "/default-client-scopes", admin, null), 200));
        if (!defaults.toString().contains("\"clinloop-api\"")) {
            require(send("PUT", "/clients/" + id + "/default-client-scopes/" + scopeId(all, "clinloop-api"), admin,
                    null), 204);
        }
        JsonNode optionals = json(require(send("GET", "/clients/" + id + "/optional-client-scopes", admin, null), 200));
        for (String scope : systemScopes) {
            if (!optionals.toString().contains("\"" + scope + "\"")) {
                require(send("PUT", "/clients/" + id + "/optional-client-scopes/" + scopeId(all, scope), admin, null), 204);
            }
        }
        String user = json(require(send("GET", "/clients/" + id + "/service-account-user", admin, null), 200))
                .get("id").asText();
        JsonNode realmRole = json(require(send("GET", "/roles/" + role, admin, null), 200));
        require(send("POST", "/users/" + user + "/role-mappings/realm", admin,
                JSON.createArrayNode().add(realmRole).toString()), 204);
    }

    private static String scopeId(JsonNode scopes, String name) {
        for (JsonNode scope : scopes) {
            if (name.equals(scope.get("name").asText())) {
                return scope.get("id").asText();
            }
        }
        throw new IllegalStateException("Expected a client scope " + name + " in the realm, found none");
    }

    /** The ClinLoop realm's clients as Keycloak holds them, its own (admin-cli, account, …) included. */
    JsonNode clients() {
        return json(require(send("GET", "/clients", token(), null), 200));
    }

    /** Creates a realm from a representation (its own name inside), as an import at start-up would. */
    void createRealm(JsonNode representation) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak + "/admin/realms"))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(representation.toString()))
                .build();
        require(exchange(request), 201);
    }

    void deleteRealm(String realm) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak + "/admin/realms/"
                        + URLEncoder.encode(realm, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + token()).timeout(Duration.ofSeconds(60)).DELETE().build();
        require(exchange(request), 204);
    }

    /**
     * Sets one attribute of a client of the realm (e.g. {@code access.token.lifespan}, in seconds);
     * an empty value clears it. Returns the value it had, empty when it had none.
     */
    String setClientAttribute(String clientId, String key, String value) {
        String admin = token();
        String query = "/clients?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
        JsonNode found = json(require(send("GET", query, admin, null), 200));
        if (found.size() != 1) {
            throw new IllegalStateException("Expected one client " + clientId + ", found " + found.size());
        }
        ObjectNode client = (ObjectNode) found.get(0);
        ObjectNode attributes = client.has("attributes") ? (ObjectNode) client.get("attributes") : client.putObject("attributes");
        String before = attributes.path(key).asText("");
        attributes.put(key, value);
        require(send("PUT", "/clients/" + client.get("id").asText(), admin, client.toString()), 204);
        return before;
    }

    void deleteClient(String clientId) {
        deleteClient(clientId, token());
    }

    private void deleteClient(String clientId, String admin) {
        String query = "/clients?clientId=" + URLEncoder.encode(clientId, StandardCharsets.UTF_8);
        for (JsonNode c : json(require(send("GET", query, admin, null), 200))) {
            require(send("DELETE", "/clients/" + c.get("id").asText(), admin, null), 204);
        }
    }

    private String token() {
        String form = "grant_type=password&client_id=admin-cli&username=admin&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(URI.create(keycloak + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(form)).build();
        return json(require(exchange(request), 200)).get("access_token").asText();
    }

    private HttpResponse<String> send(String method, String path, String admin, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(keycloak + "/admin/realms/clinloop" + path))
                .header("Authorization", "Bearer " + admin).timeout(Duration.ofSeconds(20));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return exchange(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> exchange(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak at " + keycloak + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> require(HttpResponse<String> r, int status) {
        if (r.statusCode() != status) {
            throw new IllegalStateException("Expected Keycloak to answer " + r.request().method() + " " + r.request().uri()
                    + " with " + status + ", found " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("Expected JSON from Keycloak, found " + r.body(), e);
        }
    }
}
