package org.clinloop.service.limits;

import java.util.Objects;
import java.util.Set;

/**
 * Who a request is counted against: an EHR system by its client, a person by their subject.
 *
 * @param key    what the caller's bucket is kept under: {@code client:<azp>} or {@code user:<sub>}
 * @param name   how an answer names the caller: the client id, or the user name
 * @param kind   which defaults apply
 * @param client the OAuth client the token was issued to ({@code azp}), or null
 */
public record Caller(String key, String name, Kind kind, String client) {

    /** Realm roles of the staff who use the portal and the REST API. */
    static final Set<String> STAFF_ROLES = Set.of("clinician", "compliance-officer", "model-steward");
    static final String EHR_SYSTEM_ROLE = "ehr-system";

    /** Which class of caller; each has its own default rate. */
    public enum Kind {
        /** A system with role ehr-system (a gateway, an EHR): one bucket per client. */
        EHR_SYSTEM("ehr-system", "EHR system"),
        /** A clinician, compliance officer or model steward. */
        STAFF("staff", "user"),
        /** A patient, and anyone else who is signed in. */
        PATIENT("patient", "user");

        private final String configName;
        private final String described;

        Kind(String configName, String described) {
            this.configName = configName;
            this.described = described;
        }

        /** The name in configuration keys: {@code clinloop.limits.rate.<name>.per-second}. */
        public String configName() {
            return configName;
        }

        String described() {
            return described;
        }
    }

    public Caller {
        Objects.requireNonNull(key, "Caller key is required.");
        Objects.requireNonNull(name, "Caller name is required.");
        Objects.requireNonNull(kind, "Caller kind is required.");
    }

    /**
     * The caller of a verified token.
     *
     * @param subject the token's {@code sub}, or null when the token has none
     * @param name    the user name the service knows the caller by
     * @param client  the token's {@code azp}, or null
     * @param roles   the token's realm roles
     */
    public static Caller of(String subject, String name, String client, Set<String> roles) {
        Objects.requireNonNull(name, "Caller name is required.");
        if (roles.contains(EHR_SYSTEM_ROLE)) {
            String id = client == null || client.isBlank() ? name : client;
            return new Caller("client:" + id, id, Kind.EHR_SYSTEM, client);
        }
        Kind kind = roles.stream().anyMatch(STAFF_ROLES::contains) ? Kind.STAFF : Kind.PATIENT;
        return new Caller("user:" + (subject == null || subject.isBlank() ? name : subject), name, kind, client);
    }

    /** "EHR system clinloop-ehr", "user sam.lee". */
    String described() {
        return kind.described() + " " + name;
    }
}
