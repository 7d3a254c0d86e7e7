package org.clinloop.approval.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.LinkedHashMap;
import java.util.Map;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.BoundsRefusedException;
import org.clinloop.approval.TaskConflictException;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.audit.PatientDataRead;
import org.clinloop.audit.web.OperationOutcomes;

/** Domain refusals as HTTP answers with an OperationOutcome. */
public final class WorkflowExceptionMappers {

    private WorkflowExceptionMappers() {
    }

    @Provider
    public static class AccessRefused implements ExceptionMapper<AccessRefusedException> {
        @Override
        public Response toResponse(AccessRefusedException e) {
            return OperationOutcomes.response(Response.Status.FORBIDDEN, "forbidden", e.getMessage());
        }
    }

    /** 404; when it hides a refusal, the read audit is told whose record it was (the caller is not). */
    @Provider
    public static class UnknownResource implements ExceptionMapper<UnknownResourceException> {
        @Context
        HttpServletRequest http;

        @Override
        public Response toResponse(UnknownResourceException e) {
            e.refusedPatient().ifPresent(p -> http.setAttribute(PatientDataRead.REFUSED_AS_NOT_FOUND, p));
            return OperationOutcomes.response(Response.Status.NOT_FOUND, "not-found", e.getMessage());
        }
    }

    @Provider
    public static class BoundsRefused implements ExceptionMapper<BoundsRefusedException> {
        @Override
        public Response toResponse(BoundsRefusedException e) {
            return OperationOutcomes.response(422, "business-rule", e.violations());
        }
    }

    @Provider
    public static class TaskConflict implements ExceptionMapper<TaskConflictException> {
        @Override
        public Response toResponse(TaskConflictException e) {
            Map<String, Object> body = new LinkedHashMap<>(OperationOutcomes.of("error", "conflict", e.getMessage()));
            body.put("current", e.current());
            return Response.status(Response.Status.CONFLICT).type(MediaType.APPLICATION_JSON_TYPE).entity(body).build();
        }
    }
}
