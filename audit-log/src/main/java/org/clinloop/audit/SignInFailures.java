package org.clinloop.audit;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@code SIGN_IN_FAILED} audit entry records: failed sign-ins of one kind from one source
 * within one window, counted, so that a flood of them costs one entry per window and kind, not
 * one per attempt. Two places refuse a sign-in: the service, which answers 401 to a request whose
 * bearer token is missing, malformed, expired, from another issuer or not verifiable; and
 * Keycloak, which refuses a wrong password or client secret ({@code LOGIN_ERROR},
 * {@code CLIENT_LOGIN_ERROR}, imported from its event store).
 *
 * <p>Every text here except {@code refusedBy} and {@code reason} of the service can be chosen by
 * whoever fails to sign in (a username that does not exist, a client id): each is clipped to
 * {@value PatientDataRead#MAX_TEXT} characters and nothing from a refused token is recorded.
 *
 * <p>Record version 1 (entries carry no {@code recordVersion} key).
 *
 * @param refusedBy    who refused: the service or Keycloak
 * @param reason       why: the service's {@code missing-token}, {@code malformed-token},
 *                     {@code expired-token}, {@code other-issuer} or {@code unverified-token}; Keycloak's
 *                     error code ({@code invalid_user_credentials}, {@code user_not_found},
 *                     {@code invalid_client_credentials}, …)
 * @param source       the address the attempts came from, or {@code *} for sources beyond the number
 *                     kept per window
 * @param client       the client app named in the attempt (Keycloak's client id), or null
 * @param username     the account named in the attempt (Keycloak's username), or null
 * @param firstRequest the service's first refused request in the window ({@code GET /api/tasks}), or
 *                     null
 * @param count        attempts in the window, at least 1
 * @param firstAt      the first attempt
 * @param lastAt       the last attempt
 */
public record SignInFailures(RefusedBy refusedBy, String reason, String source, String client, String username,
                             String firstRequest, int count, Instant firstAt, Instant lastAt) {

    public static final int RECORD_VERSION = 1;
    public static final AuditEventType TYPE = AuditEventType.SIGN_IN_FAILED;

    /** Where a sign-in was refused. */
    public enum RefusedBy {
        /** ClinLoop's edge: the token on a request to {@code /api} or {@code /fhir} was refused (401). */
        SERVICE,
        /** The identity provider: a password, OTP or client secret was refused. */
        KEYCLOAK
    }

    public SignInFailures {
        Objects.requireNonNull(refusedBy, "Who refused is required.");
        Objects.requireNonNull(reason, "Reason is required.");
        Objects.requireNonNull(source, "Source is required.");
        Objects.requireNonNull(firstAt, "First attempt is required.");
        Objects.requireNonNull(lastAt, "Last attempt is required.");
        if (count < 1) {
            throw new IllegalArgumentException("Expected at least one failed sign-in, found " + count + ".");
        }
        if (lastAt.isBefore(firstAt)) {
            throw new IllegalArgumentException("Expected the last attempt at or after the first, found " + firstAt
                    + " .. " + lastAt + ".");
        }
    }

    /** The audit event recording these failures, by the component that noticed them. */
    public AuditEvent event(Actor recorder) {
        return AuditEvent.of(TYPE, recorder, null, toDetail());
    }

    public Map<String, Object> toDetail() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("refusedBy", refusedBy.name());
        d.put("reason", reason);
        d.put("source", source);
        d.put("client", client);
        d.put("username", username);
        d.put("firstRequest", firstRequest);
        d.put("count", count);
        d.put("firstAt", firstAt.toString());
        d.put("lastAt", lastAt.toString());
        return d;
    }

    /** Parses the detail of a SIGN_IN_FAILED entry. */
    public static SignInFailures fromEntry(AuditEntry entry) {
        return parse(DetailReader.of(TYPE, entry));
    }

    /**
     * Parses a SIGN_IN_FAILED detail.
     *
     * @throws IllegalArgumentException for an unknown record version or a key of the wrong shape,
     *                                  naming it, expected versus found
     */
    public static SignInFailures fromDetail(Map<String, Object> detail) {
        return parse(DetailReader.of(TYPE, detail));
    }

    private static SignInFailures parse(DetailReader d) {
        d.requireRecordVersion(RECORD_VERSION);
        return new SignInFailures(d.constant("refusedBy", RefusedBy.class), d.string("reason"), d.string("source"),
                d.nullableString("client"), d.nullableString("username"), d.nullableString("firstRequest"),
                d.integer("count"), d.instant("firstAt"), d.instant("lastAt"));
    }
}
