package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.StringParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Date;
import java.util.List;
import org.clinloop.audit.Actor;
import org.clinloop.ingest.CareTeamChangeRefusedException;
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
        FhirCallers.requireBody(patient);
        Patient stored = directory.save(patient, null, FhirCallers.actor(request));
        return new MethodOutcome(stored.getIdElement().withResourceType("Patient").withVersion(stored.getMeta().getVersionId()),
                true).setResource(stored);
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam Patient patient, RequestDetails request) {
        FhirCallers.requireBody(patient);
        Actor actor = FhirCallers.actor(request);
        Patient stored;
        try {
            stored = directory.save(patient, id.getIdPart(), actor);
        } catch (CareTeamChangeRefusedException refused) {
            directory.recordRefusal(refused, actor, FhirCallers.client(request));
            throw refused;
        }
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
                                @OptionalParam(name = Patient.SP_NAME) StringParam name,
                                @OptionalParam(name = Patient.SP_BIRTHDATE) DateRangeParam birthdate,
                                @Count Integer count, RequestDetails request) {
        int limit = count == null ? 100 : Math.max(0, Math.min(count, 500));
        return directory.search(new PatientDirectory.Query(
                identifier == null ? null : identifier.getSystem(),
                identifier == null ? null : identifier.getValue(),
                name == null || name.getValue().isBlank() ? null : name.getValue().trim(),
                birthdate == null ? null : day(birthdate.getLowerBoundAsInstant()),
                birthdate == null ? null : day(birthdate.getUpperBoundAsInstant())), FhirCallers.actor(request), limit);
    }

    /**
     * A date-range bound as a calendar day: birth dates are dates, and HAPI gives a day's bounds
     * (prefixes applied) as instants in the server's zone.
     */
    private static LocalDate day(Date bound) {
        return bound == null ? null : bound.toInstant().atZone(ZoneId.systemDefault()).toLocalDate();
    }
}
