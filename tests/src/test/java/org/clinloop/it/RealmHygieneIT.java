package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.clinloop.client.Clinic.expect;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.clinloop.client.BrowserSignIn;
import org.clinloop.client.Clinic;
import org.clinloop.client.Credentials;
import org.clinloop.client.KeycloakTokens;
import org.clinloop.client.SystemKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Realm hygiene (issue 14, hole 2): one password per person, no password grant outside the test
 * realm, OTP for every clinician unless a realm switches it off, and a sign-in without the password
 * grant that the API accepts.
 */
class RealmHygieneIT {

    static final Path SHIPPED = Path.of("..", "deploy", "keycloak", "clinloop-realm.json");
    static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    static final ObjectMapper JSON = new ObjectMapper();
    static Clinic clinic;
    static Credentials credentials;

    @BeforeAll
    static void clinic() {
        clinic = ItEnvironment.clinic();
        credentials = Credentials.fromEnvironment();
    }

    @Test
    void theShippedRealmsClientsRefuseThePasswordGrant() throws IOException {
        JsonNode shipped = JSON.readTree(Files.readString(SHIPPED));
        List<String> tried = new ArrayList<>();
        for (JsonNode client : shipped.get("clients")) {
            String clientId = client.get("clientId").asText();
            Map<String, String> form = new LinkedHashMap<>(Map.of("grant_type", "password", "client_id", clientId,
                    "username", Clinic.RIVERA, "password", credentials.password(Clinic.RIVERA)));
            if (client.has("secret")) {
                // The right secret: refused for the grant, not for a wrong secret.
                form.put("client_secret", resolve(client.get("secret").asText(), Map.of()));
            }
            if ("client-jwt".equals(client.path("clientAuthenticatorType").asText())) {
                // A system client: its own signed assertion, so that it too is refused for the grant.
                SystemKey key = KeycloakTokens.GATEWAY_CLIENT.equals(clientId) ? credentials.gatewayKey()
                        : credentials.ehrKey();
                assertThat(key.clientId()).as("a key for %s", clientId).isEqualTo(clientId);
                form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
                form.put("client_assertion", key.assertion(ItEnvironment.KEYCLOAK
                        + "/realms/clinloop/protocol/openid-connect/token", 300));
            }
            HttpResponse<String> r = post(ItEnvironment.KEYCLOAK + "/realms/clinloop/protocol/openid-connect/token", form);
            assertThat(r.statusCode()).as("password grant on %s: %s", clientId, r.body()).isIn(400, 401);
            assertThat(JSON.readTree(r.body()).path("error").asText()).as(clientId).isEqualTo("unauthorized_client");
            tried.add(clientId);
        }
        assertThat(tried).contains("clinloop-portal", "clinloop-ehr", "clinloop-gateway", "admin-cli");
    }

    @Test
    void onlyTheTestRealmsDevtoolsClientHasThePasswordGrant() {
        List<String> withPasswordGrant = new ArrayList<>();
        for (JsonNode client : new KeycloakAdmin(ItEnvironment.KEYCLOAK).clients()) {
            if (client.path("directAccessGrantsEnabled").asBoolean()) {
                withPasswordGrant.add(client.get("clientId").asText());
            }
        }
        assertThat(withPasswordGrant).containsExactly(KeycloakTokens.DEVTOOLS_CLIENT);
    }

    @Test
    void twoPeopleOfOneRoleHaveTheirOwnPasswords() {
        assertThat(credentials.password(Clinic.RIVERA)).isNotEqualTo(credentials.password(Clinic.OKAFOR));
        assertThat(credentials.password(Clinic.JONES)).isNotEqualTo(credentials.password(Clinic.LEE));
        assertThat(Credentials.USERS.stream().map(credentials::password).distinct().count())
                .isEqualTo(Credentials.USERS.size());
        KeycloakTokens keycloak = new KeycloakTokens(ItEnvironment.KEYCLOAK);
        assertThatThrownBy(() -> keycloak.password(Clinic.OKAFOR, credentials.password(Clinic.RIVERA)))
                .hasMessageContaining("refused");
        assertThatThrownBy(() -> keycloak.password(Clinic.LEE, credentials.password(Clinic.JONES)))
                .hasMessageContaining("refused");
    }

    @Test
    void aBrowserStyleSignInGivesATokenTheApiAccepts() throws IOException {
        BrowserSignIn browser = BrowserSignIn.portal(ItEnvironment.KEYCLOAK, ItEnvironment.SERVICE);
        String rivera = browser.token(Clinic.RIVERA, credentials.password(Clinic.RIVERA));
        assertThat(claims(rivera).get("azp").asText()).isEqualTo(BrowserSignIn.PORTAL_CLIENT);
        assertThat(claims(rivera).get("preferred_username").asText()).isEqualTo(Clinic.RIVERA);
        expect(clinic.api().get("/api/tasks", rivera), 200);

        String jones = browser.token(Clinic.JONES, credentials.password(Clinic.JONES));
        expect(clinic.api().get("/api/me/adjustments", jones), 200);
        assertThat(clinic.api().get("/api/tasks", jones).status()).isEqualTo(403);

        assertThatThrownBy(() -> browser.token(Clinic.OKAFOR, credentials.password(Clinic.RIVERA)))
                .hasMessageContaining("refused the browser sign-in of " + Clinic.OKAFOR);
    }

    /**
     * The shipped realm, imported as it is (the way a deployment that switches nothing off gets it):
     * a clinician is asked for a one-time code before any token, a patient is not.
     */
    @Test
    void theShippedRealmAsksEveryClinicianForAOneTimeCode() throws IOException {
        String name = "clinloop-shipped-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode realm = (ObjectNode) JSON.readTree(resolve(Files.readString(SHIPPED),
                Map.of("CLINLOOP_PORTAL_URL", ItEnvironment.SERVICE)));
        realm.put("realm", name);
        KeycloakAdmin admin = new KeycloakAdmin(ItEnvironment.KEYCLOAK);
        admin.createRealm(realm);
        try {
            BrowserSignIn browser = new BrowserSignIn(ItEnvironment.KEYCLOAK, name, BrowserSignIn.PORTAL_CLIENT,
                    ItEnvironment.SERVICE + "/");
            for (String clinician : List.of(Clinic.RIVERA, Clinic.OKAFOR)) {
                assertThatThrownBy(() -> browser.token(clinician, credentials.password(clinician)))
                        .as(clinician).hasMessageContaining("refused the browser sign-in of " + clinician)
                        .hasMessageContaining("OTP");
            }
            assertThat(browser.token(Clinic.JONES, credentials.password(Clinic.JONES))).isNotBlank();
            assertThat(browser.token(Clinic.STEWARD, credentials.password(Clinic.STEWARD))).isNotBlank();
        } finally {
            admin.deleteRealm(name);
        }
    }

    /**
     * The realm file's {@code ${NAME}}s replaced as Keycloak's import does, from the environment (or
     * {@code extra}), each value escaped for a JSON string (a system client's JWKS is JSON itself).
     */
    private static String resolve(String text, Map<String, String> extra) {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = extra.getOrDefault(m.group(1), System.getenv(m.group(1)));
            if (value == null || value.isEmpty()) {
                throw new IllegalStateException(m.group(1) + " is not set: run through ./clinloop test");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value.replace("\\", "\\\\").replace("\"", "\\\"")));
        }
        return m.appendTail(out).toString();
    }

    private static JsonNode claims(String token) throws IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
    }

    private static HttpResponse<String> post(String url, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak at " + url + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
