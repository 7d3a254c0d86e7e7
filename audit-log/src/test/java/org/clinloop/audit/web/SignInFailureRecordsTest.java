package org.clinloop.audit.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.clinloop.audit.SignInFailures;
import org.clinloop.audit.SignInFailures.RefusedBy;
import org.junit.jupiter.api.Test;

/** Why a token was refused, and how failed sign-ins are counted so that a flood stays a few entries. */
class SignInFailureRecordsTest {

    static final String ISSUER = "http://localhost:8180/realms/clinloop";
    static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

    static String part(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    static String bearer(String payload) {
        return "Bearer " + part("{\"alg\":\"RS256\",\"typ\":\"JWT\"}") + "." + part(payload) + ".c2lnbmF0dXJl";
    }

    @Test
    void aRefusedTokenIsNamedByWhatItSaysOfItselfInOneOfFiveWords() {
        long future = NOW.getEpochSecond() + 600;
        assertThat(TokenRefusal.of(null, ISSUER, NOW)).isEqualTo(TokenRefusal.MISSING);
        assertThat(TokenRefusal.of("Basic Zm9vOmJhcg==", ISSUER, NOW)).isEqualTo(TokenRefusal.MISSING);
        assertThat(TokenRefusal.of("Bearer ", ISSUER, NOW)).isEqualTo(TokenRefusal.MISSING);
        assertThat(TokenRefusal.of("Bearer abc.def.ghi", ISSUER, NOW)).isEqualTo(TokenRefusal.MALFORMED);
        assertThat(TokenRefusal.of("Bearer only-one-part", ISSUER, NOW)).isEqualTo(TokenRefusal.MALFORMED);
        assertThat(TokenRefusal.of(bearer("[1,2]"), ISSUER, NOW)).isEqualTo(TokenRefusal.MALFORMED);
        assertThat(TokenRefusal.of(bearer("{\"iss\":\"" + ISSUER + "\",\"exp\":" + (NOW.getEpochSecond() - 1) + "}"),
                ISSUER, NOW)).isEqualTo(TokenRefusal.EXPIRED);
        assertThat(TokenRefusal.of(bearer("{\"iss\":\"https://evil.example/realms/clinloop\",\"exp\":" + future + "}"),
                ISSUER, NOW)).isEqualTo(TokenRefusal.OTHER_ISSUER);
        assertThat(TokenRefusal.of(bearer("{\"iss\":\"" + ISSUER + "\",\"exp\":" + future + "}"), ISSUER, NOW))
                .as("a tampered signature, alg none or another audience: the container refused it, the token does"
                        + " not say why").isEqualTo(TokenRefusal.UNVERIFIED);
        assertThat(List.of(TokenRefusal.values()).stream().map(TokenRefusal::reason)).containsExactly(
                "missing-token", "malformed-token", "expired-token", "other-issuer", "unverified-token");
    }

    @Test
    void failuresOfOneKindInAWindowAreOneRecordWithTheirCount() {
        SignInFailureTally tally = new SignInFailureTally();
        SignInFailureTally.Kind expired = new SignInFailureTally.Kind(RefusedBy.SERVICE, "expired-token", "10.0.0.7",
                null, null);
        for (int i = 0; i < 1000; i++) {
            tally.add(expired, NOW.plusMillis(i), i == 0 ? "GET /fhir/Observation" : "GET /api/tasks");
        }
        tally.add(new SignInFailureTally.Kind(RefusedBy.KEYCLOAK, "invalid_user_credentials", "10.0.0.8",
                "clinloop-portal", "pat.jones"), NOW.minusSeconds(5), null);
        List<SignInFailures> closed = tally.close();
        assertThat(closed).containsExactly(
                new SignInFailures(RefusedBy.SERVICE, "expired-token", "10.0.0.7", null, null, "GET /fhir/Observation",
                        1000, NOW, NOW.plusMillis(999)),
                new SignInFailures(RefusedBy.KEYCLOAK, "invalid_user_credentials", "10.0.0.8", "clinloop-portal",
                        "pat.jones", null, 1, NOW.minusSeconds(5), NOW.minusSeconds(5)));
        assertThat(tally.close()).as("the next window starts empty").isEmpty();
    }

    @Test
    void madeUpSourcesAndUsernamesBeyondTheLimitAreCountedTogether() {
        SignInFailureTally tally = new SignInFailureTally();
        for (int i = 0; i < 5000; i++) {
            tally.add(new SignInFailureTally.Kind(RefusedBy.KEYCLOAK, "user_not_found", "10.0." + (i % 250) + ".1",
                    "clinloop-portal", "user-" + i + "-" + "x".repeat(500)), NOW.plusMillis(i), null);
        }
        List<SignInFailures> closed = tally.close();
        assertThat(closed).hasSize(SignInFailureTally.KINDS_PER_WINDOW + 1);
        assertThat(closed.subList(0, SignInFailureTally.KINDS_PER_WINDOW))
                .allSatisfy(f -> assertThat(f.username()).hasSize(SignInFailureTally.MAX_TEXT).endsWith("…"));
        SignInFailures rest = closed.get(SignInFailureTally.KINDS_PER_WINDOW);
        assertThat(rest.source()).isEqualTo("*");
        assertThat(rest.username()).isNull();
        assertThat(rest.count()).isEqualTo(5000 - SignInFailureTally.KINDS_PER_WINDOW);
        assertThat(closed.stream().mapToInt(SignInFailures::count).sum()).isEqualTo(5000);
    }

    @Test
    void countsThatCouldNotBeWrittenAreCarriedIntoTheNextWindow() {
        SignInFailureTally tally = new SignInFailureTally();
        SignInFailureTally.Kind missing = new SignInFailureTally.Kind(RefusedBy.SERVICE, "missing-token", "10.0.0.9",
                null, null);
        tally.add(missing, NOW, "GET /api/tasks");
        List<SignInFailures> unwritten = tally.close();
        tally.add(missing, NOW.plusSeconds(70), "GET /fhir/Patient");
        tally.restore(unwritten);
        assertThat(tally.close()).containsExactly(new SignInFailures(RefusedBy.SERVICE, "missing-token", "10.0.0.9",
                null, null, "GET /fhir/Patient", 2, NOW, NOW.plusSeconds(70)));
    }
}
