package org.clinloop.cds.web;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.TaskConflictException;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.audit.outage.DatabaseUnavailable;
import org.clinloop.cds.InvalidCdsRequestException;
import org.clinloop.cds.TokenRefusedException;

/**
 * Every failure of a CDS call as a JSON error ({@code {"error": …, "message": …}}): a refused JWT
 * 401 (with {@code WWW-Authenticate}), a malformed call 400, an unknown service or card 404, a
 * proposal decided since 409, a database outage 503; only bugs are 500s, naming an incident.
 * Registered by {@link CdsHooksApi} only (no {@code @Provider}: the {@code /api} application, which
 * finds annotated providers in every jar, keeps its own error mapping).
 */
public class CdsErrors implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(CdsErrors.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        Throwable cause = unwrap(e);
        if (cause instanceof TokenRefusedException) {
            LOG.info(() -> "CDS Hooks call refused: " + cause.getMessage());
            return error(401, "invalid_token", cause.getMessage())
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"").build();
        }
        if (cause instanceof InvalidCdsRequestException) {
            return error(400, "invalid_request", cause.getMessage()).build();
        }
        if (cause instanceof UnknownResourceException) {
            return error(404, "not_found", cause.getMessage()).build();
        }
        if (cause instanceof TaskConflictException) {
            return error(409, "conflict", cause.getMessage()).build();
        }
        if (cause instanceof AccessRefusedException) {
            return error(403, "forbidden", cause.getMessage()).build();
        }
        if (DatabaseUnavailable.in(e)) {
            return error(503, "unavailable", DatabaseUnavailable.ANSWER)
                    .header("Retry-After", String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS)).build();
        }
        if (cause instanceof WebApplicationException w && w.getResponse().getStatus() < 500) {
            int status = w.getResponse().getStatus();
            return error(status, status == 404 ? "not_found" : "invalid_request",
                    cause.getMessage() == null ? "HTTP " + status : cause.getMessage()).build();
        }
        String incident = java.util.UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "CDS Hooks incident " + incident, e);
        return error(500, "server_error", "an internal error occurred (incident " + incident + ")").build();
    }

    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 10 && t.getCause() != null && !(t instanceof TokenRefusedException
                || t instanceof InvalidCdsRequestException || t instanceof UnknownResourceException
                || t instanceof TaskConflictException || t instanceof AccessRefusedException); i++) {
            t = t.getCause();
        }
        return t instanceof TokenRefusedException || t instanceof InvalidCdsRequestException
                || t instanceof UnknownResourceException || t instanceof TaskConflictException
                || t instanceof AccessRefusedException ? t : e;
    }

    private static Response.ResponseBuilder error(int status, String code, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
    }
}
