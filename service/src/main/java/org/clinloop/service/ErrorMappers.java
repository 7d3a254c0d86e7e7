package org.clinloop.service;

import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.outage.DatabaseUnavailable;
import org.clinloop.audit.outage.OutageLog;
import org.clinloop.audit.web.OperationOutcomes;

/**
 * Every REST error answers with an OperationOutcome; only bugs are 500s, and they name an incident.
 * A database that cannot be reached is not a bug: 503 with {@code Retry-After} (issue 17), logged
 * once per outage.
 */
public final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    @Provider
    public static class HttpErrors implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            Response original = e.getResponse();
            if (original.hasEntity()) {
                return original;
            }
            String code = switch (original.getStatus()) {
                case 401 -> "login";
                case 403 -> "forbidden";
                case 404 -> "not-found";
                case 405, 406, 415 -> "not-supported";
                case 409 -> "conflict";
                default -> original.getStatus() >= 500 ? "exception" : "invalid";
            };
            Response.ResponseBuilder b = Response.fromResponse(original)
                    .entity(OperationOutcomes.of("error", code, describe(e)))
                    .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE);
            return b.build();
        }
    }

    @Provider
    public static class BodyErrors implements ExceptionMapper<ProcessingException> {
        @Override
        public Response toResponse(ProcessingException e) {
            return OperationOutcomes.response(Response.Status.BAD_REQUEST, "invalid",
                    "expected a well-formed JSON body, found: " + rootMessage(e));
        }
    }

    private static final OutageLog OUTAGES = new OutageLog(LOG, "REST API");

    @Provider
    public static class Bugs implements ExceptionMapper<Throwable> {
        @Override
        public Response toResponse(Throwable e) {
            if (OUTAGES.outage(e)) {
                return unavailable();
            }
            String incident = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "Unhandled error, incident " + incident, e);
            return OperationOutcomes.response(Response.Status.INTERNAL_SERVER_ERROR, "exception",
                    "Internal error, incident " + incident);
        }
    }

    /** 503, {@code Retry-After} and an OperationOutcome (code "transient") for a database that cannot be reached. */
    static Response unavailable() {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header("Retry-After", DatabaseUnavailable.RETRY_AFTER_SECONDS)
                .type(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE)
                .entity(OperationOutcomes.of("error", "transient", DatabaseUnavailable.ANSWER))
                .build();
    }

    /** The exception's own words, or its cause's when the container gave only "HTTP 400 Bad Request". */
    static String describe(WebApplicationException e) {
        String own = e.getMessage() == null ? "HTTP " + e.getResponse().getStatus() : e.getMessage();
        if (e.getCause() != null && own.startsWith("HTTP ")) {
            return own + ": expected a well-formed request, found: " + rootMessage(e.getCause());
        }
        return own;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
