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
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.BoundsRefusedException;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.audit.PatientDataRead;
import org.clinloop.audit.outage.DatabaseUnavailable;
import org.clinloop.audit.outage.OutageLog;
import org.clinloop.ingest.AssertionRefusedException;
import org.clinloop.ingest.InputProblem;
import org.clinloop.ingest.InvalidInputException;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * Turns ClinLoop's domain refusals into FHIR answers with an OperationOutcome, and anything
 * unexpected into a 500 that names an incident id (logged with the stack) but no internals. A
 * database that cannot be reached is not unexpected: 503 with {@code Retry-After} and an
 * OperationOutcome of code "transient", logged once per outage (issue 17).
 */
@Interceptor
public class OutcomeTranslator {

    private static final Logger LOG = Logger.getLogger(OutcomeTranslator.class.getName());
    /** Shared by the FHIR edge's hooks and providers: one outage, one pair of log lines. */
    static final OutageLog OUTAGES = new OutageLog(LOG, "FHIR API");
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
        if (e instanceof AssertionRefusedException refused) {
            return new ForbiddenOperationException(refused.getMessage(), outcome(refused.problems()));
        }
        if (e instanceof AccessRefusedException refused) {
            return new ForbiddenOperationException(refused.getMessage());
        }
        if (e instanceof UnknownResourceException unknown) {
            // The read audit learns whose record a 404 hides; the caller only that it is not found.
            unknown.refusedPatient().ifPresent(p -> http.setAttribute(PatientDataRead.REFUSED_AS_NOT_FOUND, p));
            return new ResourceNotFoundException(unknown.getMessage());
        }
        if (unreadable(e)) {
            String m = String.valueOf(e.getMessage());
            return new ca.uhn.fhir.rest.server.exceptions.InvalidRequestException(
                    "Expected well-formed FHIR R4 input, found something that could not be read ("
                            + e.getClass().getSimpleName() + ": " + (m.length() > 200 ? m.substring(0, 200) + "…" : m)
                            + ").");
        }
        if (OUTAGES.outage(e)) {
            return unavailable();
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "FHIR request " + http.getMethod() + " " + http.getRequestURI() + " failed, incident "
                + incident, e);
        return new InternalErrorException("Internal error, incident " + incident);
    }

    /** 503 with {@code Retry-After} and an OperationOutcome: the database cannot be reached for now. */
    static BaseServerResponseException unavailable() {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.TRANSIENT)
                .setDiagnostics(DatabaseUnavailable.ANSWER);
        BaseServerResponseException e = new UnclassifiedServerFailureException(503, DatabaseUnavailable.ANSWER, oo);
        e.addResponseHeader("Retry-After", String.valueOf(DatabaseUnavailable.RETRY_AFTER_SECONDS));
        return e;
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

    /** Notes on an accepted resource: "informational" ones as information, the rest as warnings. */
    static OperationOutcome notes(List<InputProblem> notes) {
        OperationOutcome oo = outcome(notes);
        for (OperationOutcome.OperationOutcomeIssueComponent issue : oo.getIssue()) {
            issue.setSeverity(issue.getCode() == OperationOutcome.IssueType.INFORMATIONAL
                    ? OperationOutcome.IssueSeverity.INFORMATION : OperationOutcome.IssueSeverity.WARNING);
        }
        return oo;
    }

    /**
     * A runtime failure raised while HAPI read or copied the submitted resource (a value its
     * parser let through but its model refuses, e.g. a dateTime with minutes but no seconds): bad
     * input, not a server fault.
     */
    static boolean unreadable(Throwable e) {
        if (e instanceof ca.uhn.fhir.parser.DataFormatException) {
            return true; // a malformed value in the body or in a search parameter
        }
        if (!(e instanceof IllegalArgumentException || e instanceof IndexOutOfBoundsException
                || e instanceof ClassCastException || e instanceof IllegalStateException)) {
            return false;
        }
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 12); i++) {
            String c = frames[i].getClassName();
            if (c.startsWith("ca.uhn.fhir.parser.") || c.startsWith("org.hl7.fhir.r4.model.Base")
                    || c.equals("ca.uhn.fhir.rest.server.method.ResourceParameter")) {
                return true;
            }
        }
        return false;
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
