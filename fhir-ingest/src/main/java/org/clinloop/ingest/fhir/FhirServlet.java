package org.clinloop.ingest.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import java.util.List;
import org.clinloop.audit.AuditLog;

/** The FHIR R4 endpoint at {@code /fhir}. */
@WebServlet(urlPatterns = "/fhir/*", loadOnStartup = 1, displayName = "ClinLoop FHIR R4")
public class FhirServlet extends RestfulServer {

    private static final long serialVersionUID = 1L;

    @Inject
    transient PatientProvider patients;
    @Inject
    transient ObservationProvider observations;
    @Inject
    transient WorkflowResourceProviders.TaskProvider tasks;
    @Inject
    transient WorkflowResourceProviders.MedicationRequestProvider orders;
    @Inject
    transient WorkflowResourceProviders.DetectedIssueProvider issues;
    @Inject
    transient WorkflowResourceProviders.GoalProvider goals;
    @Inject
    transient MeasureReportProvider measureReports;
    @Inject
    transient AuditResourceProviders.AuditEventProvider auditEvents;
    @Inject
    transient AuditResourceProviders.ProvenanceProvider provenance;
    @Inject
    transient TransactionProvider transactions;
    @Inject
    transient DeviceProviders.DeviceProvider devices;
    @Inject
    transient DeviceProviders.MedicationStatementProvider statements;
    @Inject
    transient AuditLog audit;

    /** Searches whose later pages stay reachable, each by its creator only (oldest forgotten first). */
    static final int PAGED_SEARCHES_KEPT = 200;
    static final int DEFAULT_PAGE = 100;

    public FhirServlet() {
        super(strictR4());
    }

    /** Unknown elements and malformed values are errors, not silently dropped. */
    static FhirContext strictR4() {
        FhirContext ctx = FhirContext.forR4();
        ctx.setParserErrorHandler(new StrictErrorHandler());
        return ctx;
    }

    @Override
    protected void initialize() {
        setDefaultResponseEncoding(EncodingEnum.JSON);
        setDefaultPrettyPrint(false);
        setImplementationDescription("ClinLoop clinical AI governance service");
        setResourceProviders(List.of(patients, observations, devices, statements, tasks, orders, issues, goals,
                measureReports,
                auditEvents, provenance));
        // Each paging link answers only the caller whose search created it (issue 14).
        CallerBoundPagingProvider paging = new CallerBoundPagingProvider(PAGED_SEARCHES_KEPT);
        paging.setDefaultPageSize(DEFAULT_PAGE);
        paging.setMaximumPageSize(ObservationProvider.MAX_PAGE);
        setPagingProvider(paging);
        registerProvider(transactions);
        // A system client's SMART scopes are checked before any work on its request (issue 14).
        registerInterceptor(new SystemScopeHooks(audit));
        registerInterceptor(new OutcomeTranslator(getFhirContext()));
        registerInterceptor(new CapabilityStatementCompleter());
        // Every read of patient data leaves one audit entry, refused and failed reads included (issue 14).
        registerInterceptor(new PatientDataReadHooks(getFhirContext(), audit));
    }
}
