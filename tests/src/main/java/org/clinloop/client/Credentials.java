package org.clinloop.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The generated demo/test secrets, read from the environment that {@code ./clinloop} sets up: one
 * password per realm user (no two users share one), and the signing keys of the realm's system
 * clients (they authenticate with private_key_jwt, not a secret).
 *
 * @param passwords  each realm user's password, by username
 * @param ehrKey     the signing key of clinloop-ehr
 * @param gatewayKey the signing key of clinloop-gateway
 */
public record Credentials(Map<String, String> passwords, SystemKey ehrKey, SystemKey gatewayKey) {

    /** The realm's people, each with a password of their own. */
    public static final List<String> USERS = List.of(Clinic.RIVERA, Clinic.OKAFOR, Clinic.JONES, Clinic.LEE,
            Clinic.COMPLIANCE, Clinic.STEWARD);

    public Credentials {
        passwords = Map.copyOf(passwords);
        Objects.requireNonNull(ehrKey, "The EHR client's key is required.");
        Objects.requireNonNull(gatewayKey, "The gateway client's key is required.");
    }

    public static Credentials fromEnvironment() {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : USERS) {
            passwords.put(user, env(variableFor(user)));
        }
        return new Credentials(passwords, systemKey(KeycloakTokens.EHR_CLIENT, "EHR"),
                systemKey(KeycloakTokens.GATEWAY_CLIENT, "GATEWAY"));
    }

    /** A system client's key as {@code ./clinloop} generated it: CLINLOOP_<NAME>_KEY_FILE and _KEY_ID. */
    private static SystemKey systemKey(String clientId, String name) {
        return SystemKey.fromPem(clientId, env("CLINLOOP_" + name + "_KEY_ID"),
                java.nio.file.Path.of(env("CLINLOOP_" + name + "_KEY_FILE")));
    }

    /**
     * The environment variable holding a user's password, as {@code ./clinloop} and the realm's
     * placeholders name it: {@code dr.rivera} → {@code CLINLOOP_PASSWORD_DR_RIVERA}.
     */
    public static String variableFor(String username) {
        return "CLINLOOP_PASSWORD_" + username.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    /** A realm user's password; refuses a name the realm does not ship. */
    public String password(String username) {
        String password = passwords.get(username);
        if (password == null) {
            throw new IllegalArgumentException("Expected one of the realm's users " + USERS + ", found " + username);
        }
        return password;
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set: run through ./clinloop (it generates the demo and test secrets)");
        }
        return value;
    }
}
