package org.clinloop.realm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.clinloop.client.Credentials;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The realm as shipped ({@code deploy/keycloak/clinloop-realm.json}), read as a file: what a
 * deployment imports when it forgets every ClinLoop setting. The demo and test realms are made
 * from it by {@code ./clinloop} (OTP off; the devtools client added for tests).
 */
class ShippedRealmTest {

    static final Path REALM = Path.of("..", "deploy", "keycloak", "clinloop-realm.json");
    static JsonNode realm;

    @BeforeAll
    static void read() throws IOException {
        realm = new ObjectMapper().readTree(Files.readString(REALM));
    }

    @Test
    void noClientHasThePasswordGrant() {
        List<String> clients = new ArrayList<>();
        for (JsonNode client : realm.get("clients")) {
            clients.add(client.get("clientId").asText());
            // Stated, not left to Keycloak's default.
            assertThat(client.path("directAccessGrantsEnabled").isBoolean())
                    .as("%s states directAccessGrantsEnabled", client.get("clientId").asText()).isTrue();
            assertThat(client.get("directAccessGrantsEnabled").asBoolean())
                    .as("%s has the password grant", client.get("clientId").asText()).isFalse();
        }
        // admin-cli is created by Keycloak with the password grant unless the realm lists it.
        assertThat(clients).contains("admin-cli").doesNotContain("clinloop-devtools");
    }

    @Test
    void aPasswordPolicyThatTheGeneratedPasswordsMeet() {
        String policy = realm.path("passwordPolicy").asText();
        Matcher length = Pattern.compile("\\blength\\((\\d+)\\)").matcher(policy);
        assertThat(length.find()).as("a minimum length in %s", policy).isTrue();
        assertThat(Integer.parseInt(length.group(1))).isGreaterThanOrEqualTo(12);
        assertThat(policy).contains("upperCase(1)", "lowerCase(1)", "digits(1)", "notUsername", "passwordHistory(");
    }

    @Test
    void everyClinicianSignsInWithAOneTimeCode() {
        assertThat(realm.path("browserFlow").asText()).as("the realm's own browser flow").isNotEmpty();
        JsonNode browser = flow(realm.get("browserFlow").asText());
        JsonNode forms = null;
        for (JsonNode e : browser.get("authenticationExecutions")) {
            if (e.path("authenticatorFlow").asBoolean() && e.has("flowAlias")
                    && flow(e.get("flowAlias").asText()).toString().contains("auth-username-password-form")) {
                assertThat(e.get("requirement").asText()).isIn("ALTERNATIVE", "REQUIRED");
                forms = flow(e.get("flowAlias").asText());
            }
        }
        assertThat(forms).as("the browser flow's username-and-password forms").isNotNull();
        JsonNode clinicianOtp = null;
        for (JsonNode e : forms.get("authenticationExecutions")) {
            if (e.path("authenticatorFlow").asBoolean()) {
                JsonNode sub = flow(e.get("flowAlias").asText());
                if (conditionOnRole(sub, "clinician", false) && executes(sub, "auth-otp-form", "REQUIRED")) {
                    assertThat(e.get("requirement").asText()).as("the clinicians' OTP sub-flow").isEqualTo("CONDITIONAL");
                    clinicianOtp = sub;
                }
            }
        }
        assertThat(clinicianOtp).as("a sub-flow: role clinician -> OTP form REQUIRED").isNotNull();
    }

    @Test
    void onePasswordPlaceholderPerUserAndNoPasswordInTheFile() {
        Map<String, String> placeholders = new TreeMap<>();
        for (JsonNode user : realm.get("users")) {
            for (JsonNode credential : user.path("credentials")) {
                assertThat(credential.get("type").asText()).isEqualTo("password");
                placeholders.put(user.get("username").asText(), credential.get("value").asText());
            }
        }
        assertThat(placeholders.keySet()).containsExactlyInAnyOrderElementsOf(Credentials.USERS);
        placeholders.forEach((user, value) ->
                assertThat(value).as(user).isEqualTo("${" + Credentials.variableFor(user) + "}"));
        assertThat(placeholders.values()).doesNotHaveDuplicates();
    }

    /**
     * Issue 14, hole 3: no shared secret that can do everything. Each system (an EHR, a gateway) is
     * a client of its own that authenticates with a JWT it signs (private_key_jwt), checked against
     * its registered JWKS (a placeholder here, filled per deployment), and carries SMART system
     * scopes it must ask for; the gateway may only send observations. The one secret left belongs
     * to ClinLoop's own import of failed sign-ins, which may only view events.
     */
    @Test
    void systemClientsSignTheirOwnAssertionsAndHaveScopesNotASharedSecret() {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (JsonNode client : realm.get("clients")) {
            byId.put(client.get("clientId").asText(), client);
            if (client.path("serviceAccountsEnabled").asBoolean()
                    && "client-secret".equals(client.path("clientAuthenticatorType").asText("client-secret"))) {
                assertThat(client.get("clientId").asText()).as("a client with a secret").isEqualTo("clinloop-sign-in-audit");
            }
        }
        for (String system : List.of("clinloop-ehr", "clinloop-gateway")) {
            JsonNode client = byId.get(system);
            assertThat(client).as(system).isNotNull();
            assertThat(client.get("clientAuthenticatorType").asText()).as(system).isEqualTo("client-jwt");
            assertThat(client.has("secret")).as("%s has a secret", system).isFalse();
            assertThat(client.at("/attributes/use.jwks.string").asText()).isEqualTo("true");
            assertThat(client.at("/attributes/jwks.string").asText()).matches("\\$\\{CLINLOOP_[A-Z]+_JWKS}");
            assertThat(client.at("/attributes/token.endpoint.auth.signing.alg").asText()).isEqualTo("RS384");
            assertThat(client.get("optionalClientScopes")).as(system).allSatisfy(scope ->
                    assertThat(scope.asText()).matches("system/[A-Z][A-Za-z]+\\.c?r?u?d?s?"));
        }
        assertThat(byId.get("clinloop-gateway").get("optionalClientScopes")).extracting(JsonNode::asText)
                .containsExactly("system/Observation.c");
        assertThat(byId.get("clinloop-ehr").get("optionalClientScopes")).extracting(JsonNode::asText)
                .contains("system/Patient.u", "system/Patient.rs", "system/Observation.c", "system/Observation.rs");
        List<String> scopes = new ArrayList<>();
        realm.get("clientScopes").forEach(s -> scopes.add(s.get("name").asText()));
        byId.values().forEach(c -> c.path("optionalClientScopes").forEach(s ->
                assertThat(scopes).as("the realm defines %s", s.asText()).contains(s.asText())));
    }

    private static JsonNode flow(String alias) {
        for (JsonNode f : realm.get("authenticationFlows")) {
            if (alias.equals(f.get("alias").asText())) {
                return f;
            }
        }
        throw new AssertionError("Expected a flow " + alias + " in the realm, found none");
    }

    private static boolean executes(JsonNode flow, String authenticator, String requirement) {
        for (JsonNode e : flow.get("authenticationExecutions")) {
            if (authenticator.equals(e.path("authenticator").asText()) && requirement.equals(e.get("requirement").asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean conditionOnRole(JsonNode flow, String role, boolean negated) {
        for (JsonNode e : flow.get("authenticationExecutions")) {
            if ("conditional-user-role".equals(e.path("authenticator").asText()) && "REQUIRED".equals(e.get("requirement").asText())) {
                JsonNode config = config(e.get("authenticatorConfig").asText());
                if (role.equals(config.path("condUserRole").asText())
                        && negated == Boolean.parseBoolean(config.path("negate").asText("false"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static JsonNode config(String alias) {
        for (JsonNode c : realm.get("authenticatorConfig")) {
            if (alias.equals(c.get("alias").asText())) {
                return c.get("config");
            }
        }
        throw new AssertionError("Expected an authenticator config " + alias + ", found none");
    }
}
