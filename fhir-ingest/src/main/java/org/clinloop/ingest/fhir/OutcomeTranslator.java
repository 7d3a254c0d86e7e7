package org.clinloop.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.BoundsRefusedException;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.ingest.InputProblem;
import org.clinloop.ingest.InvalidInputException;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Turns ClinLoop's domain refusals into FHIR answers with an OperationOutcome, and anything
 * unexpected into a 500 that names an incident id (logged with the stack) but no internals.
 */
@Interceptor
public class OutcomeTranslator {

    private static final Logger LOG = Logger.getLogger(OutcomeTranslator.class.getName());
    private final FhirContext fhir;

    public OutcomeTranslator(FhirContext fhir) {
        this.fhir = fhir;
    }

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException translate(RequestDetails request, Throwable thrown, HttpServletRequest http) {
        Throwable e = unwrap(thrown);
        if (e instanceof BaseServerResponseException known) {
            return known;
        }
        if (e instanceof InvalidInputException invalid) {
            return new UnprocessableEntityException(fhir, outcome(invalid.problems()));
        }
        if (e instanceof BoundsRefusedException refused) {
            return new UnprocessableEntityException(fhir, outcome(refused.violations().stream()
                    .map(v -> new InputProblem(null, "business-rule", v)).toList()));
        }
        if (e instanceof AccessRefusedException refused) {
            return new ForbiddenOperationException(refused.getMessage());
        }
        if (e instanceof UnknownResourceException unknown) {
            return new ResourceNotFoundException(unknown.getMessage());
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "FHIR request " + http.getMethod() + " " + http.getRequestURI() + " failed, incident "
                + incident, e);
        return new InternalErrorException("Internal error, incident " + incident);
    }

    static OperationOutcome outcome(List<InputProblem> problems) {
        OperationOutcome oo = new OperationOutcome();
        for (InputProblem p : problems) {
            OperationOutcome.OperationOutcomeIssueComponent issue = oo.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.fromCode(p.code()))
                    .setDiagnostics(p.message());
            if (p.expression() != null) {
                issue.addExpression(p.expression());
            }
        }
        return oo;
    }

    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while ((e instanceof InternalErrorException || e instanceof java.lang.reflect.InvocationTargetException
                || e.getClass().getName().startsWith("jakarta.ejb") || e instanceof jakarta.transaction.RollbackException)
                && e.getCause() != null && e.getCause() != e) {
            e = e.getCause();
        }
        return e;
    }
}
