package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.List;
import org.clinloop.ingest.PatientDirectory;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Patient;

/** {@code /fhir/Patient}: registered by EHR systems, read by those the patient's record allows. */
@Dependent
public class PatientProvider implements IResourceProvider {

    @Inject
    PatientDirectory directory;

    @Override
    public Class<Patient> getResourceType() {
        return Patient.class;
    }

    @Create
    public MethodOutcome create(@ResourceParam Patient patient, RequestDetails request) {
        Patient stored = directory.save(patient, null, FhirCallers.actor(request));
        return new MethodOutcome(stored.getIdElement().withResourceType("Patient").withVersion(stored.getMeta().getVersionId()),
                true).setResource(stored);
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Patient patient, RequestDetails request) {
        Patient stored = directory.save(patient, id.getIdPart(), FhirCallers.actor(request));
        MethodOutcome outcome = new MethodOutcome(stored.getIdElement().withResourceType("Patient")
                .withVersion(stored.getMeta().getVersionId())).setResource(stored);
        outcome.setCreated("1".equals(stored.getMeta().getVersionId()));
        return outcome;
    }

    @Read
    public Patient read(@IdParam IdType id, RequestDetails request) {
        return directory.read(id.getIdPart(), FhirCallers.actor(request));
    }

    @Search
    public List<Patient> search(@OptionalParam(name = Patient.SP_IDENTIFIER) TokenParam identifier,
                                RequestDetails request) {
        return directory.search(identifier == null ? null : identifier.getSystem(),
                identifier == null ? null : identifier.getValue(), FhirCallers.actor(request), 100);
    }
}
