package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.clinloop.approval.ApprovalQueue;
import org.clinloop.approval.Deliveries;
import org.clinloop.approval.TitrationPlans;
import org.clinloop.audit.Actor;
import org.clinloop.ingest.PatientDirectory;
import org.clinloop.ingest.Prescriptions;
import org.hl7.fhir.r4.model.DetectedIssue;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Read-only FHIR views of the workflow: Task (the queue), MedicationRequest (orders), DetectedIssue
 * (alerts), Goal (the blood-pressure target).
 */
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

        /** {@code Task?patient=…[&status=requested][&priority=stat][&authored-on=ge2026-11-01]} */
        @Search
        public List<Task> byPatient(@RequiredParam(name = Task.SP_PATIENT) ReferenceParam patient,
                                    @OptionalParam(name = Task.SP_STATUS) TokenParam status,
                                    @OptionalParam(name = "priority") TokenParam priority,
                                    @OptionalParam(name = Task.SP_AUTHORED_ON) DateRangeParam authored,
                                    RequestDetails request) {
            return filter(queue.tasksForPatient(patient.getIdPart(), FhirCallers.actor(request), 500).stream()
                    .map(FhirViews::task).toList(), status, priority, authored);
        }

        /** The clinician's queue as FHIR: {@code Task?owner=Practitioner/{id}[&status=…][&priority=…]} */
        @Search
        public List<Task> byOwner(@RequiredParam(name = Task.SP_OWNER) ReferenceParam owner,
                                  @OptionalParam(name = Task.SP_STATUS) TokenParam status,
                                  @OptionalParam(name = "priority") TokenParam priority,
                                  @OptionalParam(name = Task.SP_AUTHORED_ON) DateRangeParam authored,
                                  RequestDetails request) {
            var actor = FhirCallers.requireAnyRole(request, org.clinloop.approval.Roles.CLINICIAN);
            if (!owner.getIdPart().equals(actor.practitionerId())) {
                throw new ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException(
                        "Expected owner Practitioner/" + actor.practitionerId() + " (your own queue), found "
                                + owner.getValue());
            }
            return filter(queue.tasks(actor, null, 500).stream().map(FhirViews::task).toList(), status, priority,
                    authored);
        }

        static List<Task> filter(List<Task> tasks, TokenParam status, TokenParam priority, DateRangeParam authored) {
            return tasks.stream()
                    .filter(t -> status == null || t.getStatus().toCode().equals(status.getValue()))
                    .filter(t -> priority == null || t.getPriority().toCode().equals(priority.getValue()))
                    .filter(t -> authored == null || ((authored.getLowerBoundAsInstant() == null
                            || !t.getAuthoredOn().before(authored.getLowerBoundAsInstant()))
                            && (authored.getUpperBoundAsInstant() == null
                            || !t.getAuthoredOn().after(authored.getUpperBoundAsInstant()))))
                    .toList();
        }
    }

    /**
     * MedicationRequest: the EHR's prescriptions (intent order, created by EHR systems) and
     * ClinLoop's own dose changes (read-only views of delivered adjustments).
     */
    @Dependent
    public static class MedicationRequestProvider implements IResourceProvider {
        @Inject
        Deliveries deliveries;
        @Inject
        Prescriptions prescriptions;

        @Override
        public Class<MedicationRequest> getResourceType() {
            return MedicationRequest.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam MedicationRequest order, RequestDetails request) {
            FhirCallers.requireBody(order);
            Prescriptions.Accepted accepted = prescriptions.accept(order, FhirCallers.actor(request));
            MedicationRequest stored = accepted.order();
            MethodOutcome outcome = new MethodOutcome(stored.getIdElement().withResourceType("MedicationRequest")
                    .withVersion("1"), true).setResource(stored);
            if (!accepted.notes().isEmpty()) {
                outcome.setOperationOutcome(OutcomeTranslator.notes(accepted.notes()));
            }
            return outcome;
        }

        @Read
        public MedicationRequest read(@IdParam IdType id, RequestDetails request) {
            Actor actor = FhirCallers.actor(request);
            return prescriptions.read(id.getIdPart(), actor)
                    .orElseGet(() -> FhirViews.order(deliveries.adjustment(id.getIdPart(), actor)));
        }

        /** ClinLoop's dose changes first (newest first), then the EHR's prescriptions (newest first). */
        @Search
        public List<MedicationRequest> byPatient(@RequiredParam(name = MedicationRequest.SP_PATIENT) ReferenceParam patient,
                                                 RequestDetails request) {
            Actor actor = FhirCallers.actor(request);
            List<MedicationRequest> out = new ArrayList<>(deliveries.forPatient(patient.getIdPart(), actor, 200).stream()
                    .map(FhirViews::order).toList());
            out.addAll(prescriptions.ofPatient(patient.getIdPart(), actor, 1000));
            return out;
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

    /** {@code Goal/bp-{patient}}: the blood-pressure goal the clinician set (or the protocol's). */
    @Dependent
    public static class GoalProvider implements IResourceProvider {
        @Inject
        TitrationPlans plans;
        @Inject
        PatientDirectory patients;

        @Override
        public Class<Goal> getResourceType() {
            return Goal.class;
        }

        @Read
        public Goal read(@IdParam IdType id, RequestDetails request) {
            String prefix = FhirViews.goalId("");
            String patientId = id.getIdPart().startsWith(prefix) ? id.getIdPart().substring(prefix.length()) : null;
            if (patientId == null || !patients.knows(patientId)) {
                throw new ResourceNotFoundException("No Goal/" + id.getIdPart()
                        + "; goals are named bp-{patient id} for a known patient.");
            }
            return FhirViews.goal(plans.goal(patientId, FhirCallers.actor(request)));
        }

        @Search
        public List<Goal> byPatient(@RequiredParam(name = Goal.SP_PATIENT) ReferenceParam patient,
                                    RequestDetails request) {
            if (!patients.knows(patient.getIdPart())) {
                return List.of();
            }
            return List.of(FhirViews.goal(plans.goal(patient.getIdPart(), FhirCallers.actor(request))));
        }
    }
}
