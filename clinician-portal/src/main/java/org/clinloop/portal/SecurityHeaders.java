package org.clinloop.portal;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The browser-facing headers of every answer. The pages get a content security policy that allows
 * only the service's own scripts and styles (no inline script or style, no eval), talks only to the
 * service and the identity provider, and cannot be framed. Answers from the APIs are never cached.
 * Every answer says its type is not to be sniffed and sends no referrer.
 */
@WebFilter(urlPatterns = "/*", filterName = "SecurityHeaders", asyncSupported = true)
public class SecurityHeaders extends HttpFilter {

    private static final long serialVersionUID = 1L;

    private String policy;

    @Override
    public void init() {
        String keycloak = ConfigProvider.getConfig().getOptionalValue("keycloak.url", String.class)
                .orElse("http://localhost:8180");
        policy = policy(keycloak);
    }

    /** The pages' policy, given the identity provider's URL (only its origin is allowed). */
    static String policy(String identityProvider) {
        URI idp = URI.create(identityProvider);
        String origin = idp.getScheme() + "://" + idp.getHost() + (idp.getPort() < 0 ? "" : ":" + idp.getPort());
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "connect-src 'self' " + origin + "; form-action 'self' " + origin + "; frame-ancestors 'none'; "
                + "base-uri 'none'; object-src 'none'";
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        if (isApi(path)) {
            response.setHeader("Cache-Control", "no-store");
        } else {
            response.setHeader("Content-Security-Policy", policy);
            response.setHeader("X-Frame-Options", "DENY");
        }
        chain.doFilter(request, response);
    }

    static boolean isApi(String path) {
        return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/fhir/") || path.equals("/fhir")
                || path.startsWith("/health") || path.startsWith("/metrics") || path.startsWith("/portal/");
    }
}
