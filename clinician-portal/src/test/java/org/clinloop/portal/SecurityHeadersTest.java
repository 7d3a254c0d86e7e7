package org.clinloop.portal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecurityHeadersTest {

    @Test
    void thePagesMayTalkOnlyToTheServiceAndTheIdentityProvidersOriginAndRunNoInlineCode() {
        String policy = SecurityHeaders.policy("https://id.example.org:8443/realms/ignored");
        assertThat(policy).contains("script-src 'self';", "style-src 'self';", "frame-ancestors 'none'",
                "connect-src 'self' https://id.example.org:8443;", "default-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "/realms");
        assertThat(SecurityHeaders.policy("http://localhost:8180")).contains("connect-src 'self' http://localhost:8180;");
    }

    @Test
    void answersFromTheApisAreTheOnesNeverCached() {
        assertThat(SecurityHeaders.isApi("/api/tasks")).isTrue();
        assertThat(SecurityHeaders.isApi("/fhir/Observation")).isTrue();
        assertThat(SecurityHeaders.isApi("/portal/config.json")).isTrue();
        assertThat(SecurityHeaders.isApi("/")).isFalse();
        assertThat(SecurityHeaders.isApi("/app.js")).isFalse();
        assertThat(SecurityHeaders.isApi("/apiary.html")).isFalse();
    }
}
