package org.clinloop.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The generated demo/test secrets, read from the environment that {@code ./clinloop} sets up: one
 * password per realm user (no two users share one), and the EHR client's secret.
 *
 * @param passwords each realm user's password, by username
 * @param ehrSecret client secret of clinloop-ehr
 */
public record Credentials(Map<String, String> passwords, String ehrSecret) {

    /** The realm's people, each with a password of their own. */
    public static final List<String> USERS = List.of(Clinic.RIVERA, Clinic.OKAFOR, Clinic.JONES, Clinic.LEE,
            Clinic.COMPLIANCE, Clinic.STEWARD);

    public Credentials {
        passwords = Map.copyOf(passwords);
        Objects.requireNonNull(ehrSecret, "The EHR client secret is required.");
    }

    public static Credentials fromEnvironment() {
        Map<String, String> passwords = new LinkedHashMap<>();
        for (String user : USERS) {
            passwords.put(user, env(variableFor(user)));
        }
        return new Credentials(passwords, env("CLINLOOP_EHR_CLIENT_SECRET"));
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
