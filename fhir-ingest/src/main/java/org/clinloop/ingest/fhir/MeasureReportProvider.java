package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.List;
import org.clinloop.approval.Roles;
import org.clinloop.fairness.FairnessReports;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MeasureReport;

/** {@code /fhir/MeasureReport}: stored fairness reports, stratified by patient group (read-only). */
@Dependent
public class MeasureReportProvider implements IResourceProvider {

    @Inject
    FairnessReports reports;

    @Override
    public Class<MeasureReport> getResourceType() {
        return MeasureReport.class;
    }

    @Read
    public MeasureReport read(@IdParam IdType id, RequestDetails request) {
        FhirCallers.requireAnyRole(request, Roles.COMPLIANCE_OFFICER, Roles.MODEL_STEWARD);
        return reports.get(id.getIdPart()).map(FairnessMeasureReports::of)
                .orElseThrow(() -> new ResourceNotFoundException("No MeasureReport/" + id.getIdPart()));
    }

    @Search
    public List<MeasureReport> latest(RequestDetails request) {
        FhirCallers.requireAnyRole(request, Roles.COMPLIANCE_OFFICER, Roles.MODEL_STEWARD);
        return reports.list(20).stream().map(FairnessMeasureReports::of).toList();
    }
}
