package org.clinloop.audit.web;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Records a sign-in the first time this instance sees a session: the identity provider's
 * session id ({@code sid}) for people, the token id for systems using client credentials. It sees
 * only requests whose token the container accepted (the container checks tokens before any
 * filter); refused tokens and refused logins are counted by {@link FailedSignIns}. Sessions are
 * remembered in memory (the last 10,000), so a restart or a second instance records a session
 * again.
 */
@WebFilter(urlPatterns = {"/api/*", "/fhir/*"}, asyncSupported = true)
public class SignInRecorder implements Filter {

    private static final Logger LOG = Logger.getLogger(SignInRecorder.class.getName());
    private static final int REMEMBERED = 10_000;

    @Inject
    AuditLog log;

    private final Map<String, Boolean> seen = new LinkedHashMap<>(1024, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && http.getUserPrincipal() instanceof JsonWebToken jwt) {
            String sid = jwt.getClaim("sid");
            String session = sid != null ? "sid:" + sid : "jti:" + jwt.getTokenID();
            boolean first;
            synchronized (seen) {
                first = seen.put(session, Boolean.TRUE) == null;
            }
            if (first) {
                record(http, jwt, session);
            }
        }
        chain.doFilter(request, response);
    }

    private void record(HttpServletRequest http, JsonWebToken jwt, String session) {
        try {
            Callers.from(jwt).ifPresent(actor -> {
                Map<String, Object> detail = new LinkedHashMap<>();
                detail.put("session", session);
                detail.put("client", String.valueOf((Object) jwt.getClaim("azp")));
                detail.put("roles", actor.roles());
                detail.put("issuedAt", jwt.getIssuedAtTime());
                detail.put("firstRequest", CallerText.capped(http.getMethod() + " " + http.getRequestURI()));
                log.append(AuditEvent.of(AuditEventType.SIGN_IN, actor, actor.patientId(), detail));
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Could not record the sign-in of session " + session, e);
        }
    }
}
