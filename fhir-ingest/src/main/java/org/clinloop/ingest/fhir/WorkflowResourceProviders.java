package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.List;
import org.clinloop.approval.ApprovalQueue;
import org.clinloop.approval.Deliveries;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Task;

/** Read-only FHIR views of the workflow: Task (the queue), MedicationRequest (orders), DetectedIssue (alerts). */
public final class WorkflowResourceProviders {

    private WorkflowResourceProviders() {
    }

    @Dependent
    public static class TaskProvider implements IResourceProvider {
        @Inject
        ApprovalQueue queue;

        @Override
        public Class<Task> getResourceType() {
            return Task.class;
        }

        @Read
        public Task read(@IdParam IdType id, RequestDetails request) {
            return FhirViews.task(queue.task(id.getIdPart(), FhirCallers.actor(request)));
        }

        @Search
        public List<Task> byPatient(@RequiredParam(name = Task.SP_PATIENT) ReferenceParam patient,
                                    RequestDetails request) {
            return queue.tasksForPatient(patient.getIdPart(), FhirCallers.actor(request), 200).stream()
                    .map(FhirViews::task).toList();
        }
    }

    @Dependent
    public static class MedicationRequestProvider implements IResourceProvider {
        @Inject
        Deliveries deliveries;

        @Override
        public Class<MedicationRequest> getResourceType() {
            return MedicationRequest.class;
        }

        @Read
        public MedicationRequest read(@IdParam IdType id, RequestDetails request) {
            return FhirViews.order(deliveries.adjustment(id.getIdPart(), FhirCallers.actor(request)));
        }

        @Search
        public List<MedicationRequest> byPatient(@RequiredParam(name = MedicationRequest.SP_PATIENT) ReferenceParam patient,
                                                 RequestDetails request) {
            return deliveries.forPatient(patient.getIdPart(), FhirCallers.actor(request), 200).stream()
                    .map(FhirViews::order).toList();
        }
    }

    @Dependent
    public static class DetectedIssueProvider implements IResourceProvider {
        @Inject
        Deliveries deliveries;

        @Override
        public Class<DetectedIssue> getResourceType() {
            return DetectedIssue.class;
        }

        @Read
        public DetectedIssue read(@IdParam IdType id, RequestDetails request) {
            return FhirViews.issue(deliveries.alert(id.getIdPart(), FhirCallers.actor(request)));
        }

        @Search
        public List<DetectedIssue> byPatient(@RequiredParam(name = DetectedIssue.SP_PATIENT) ReferenceParam patient,
                                             RequestDetails request) {
            return deliveries.alertsFor(patient.getIdPart(), FhirCallers.actor(request), 200).stream()
                    .map(FhirViews::issue).toList();
        }
    }
}
