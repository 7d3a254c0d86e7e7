package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.List;
import org.clinloop.approval.Roles;
import org.clinloop.audit.Actor;
import org.clinloop.ingest.InvalidInputException;
import org.clinloop.ingest.ObservationIntake;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;

/** {@code /fhir/Observation}: readings in, each driving the titration decision. */
@Dependent
public class ObservationProvider implements IResourceProvider {

    @Inject
    ObservationIntake intake;

    @Override
    public Class<Observation> getResourceType() {
        return Observation.class;
    }

    @Create
    public MethodOutcome create(@ResourceParam Observation observation, RequestDetails request) {
        Actor actor = FhirCallers.requireAnyRole(request, Roles.EHR_SYSTEM, Roles.PATIENT, Roles.CLINICIAN);
        ObservationIntake.Accepted accepted;
        try {
            accepted = intake.accept(observation, actor);
        } catch (InvalidInputException e) {
            String subject = observation.getSubject().getReference();
            intake.recordRejection(actor, subject != null && subject.startsWith("Patient/")
                    ? subject.substring(8) : null, e.problems());
            throw e;
        }
        Observation stored = accepted.observation();
        return new MethodOutcome(new IdType("Observation", stored.getIdPart(), "1"), true).setResource(stored);
    }

    @Read
    public Observation read(@IdParam IdType id, RequestDetails request) {
        return intake.read(id.getIdPart(), FhirCallers.actor(request));
    }

    @Search
    public List<Observation> search(@RequiredParam(name = Observation.SP_PATIENT) ReferenceParam patient,
                                    RequestDetails request) {
        return intake.search(patient.getIdPart(), FhirCallers.actor(request), 200);
    }
}
