package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.clinloop.approval.Roles;
import org.clinloop.audit.Actor;
import org.clinloop.ingest.InvalidInputException;
import org.clinloop.ingest.ObservationIntake;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;

/** {@code POST /fhir} with a transaction Bundle of Observations: all accepted, or none. */
@Dependent
public class TransactionProvider {

    @Inject
    ObservationIntake intake;

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
        Actor actor = FhirCallers.requireAnyRole(request, Roles.EHR_SYSTEM, Roles.PATIENT, Roles.CLINICIAN);
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new InvalidRequestException("Expected Bundle.type transaction, found "
                    + (bundle.hasType() ? bundle.getType().toCode() : "none"));
        }
        List<Observation> observations = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent e = bundle.getEntry().get(i);
            if (!(e.getResource() instanceof Observation obs)) {
                throw new InvalidRequestException("Expected Bundle.entry[" + i + "].resource to be an Observation, found "
                        + (e.hasResource() ? e.getResource().fhirType() : "none"));
            }
            if (e.getRequest().getMethod() != Bundle.HTTPVerb.POST || !"Observation".equals(e.getRequest().getUrl())) {
                throw new InvalidRequestException("Expected Bundle.entry[" + i + "].request POST Observation, found "
                        + e.getRequest().getMethod() + " " + e.getRequest().getUrl());
            }
            observations.add(obs);
            prefixes.add("Bundle.entry[" + i + "].resource.");
        }
        List<ObservationIntake.Accepted> accepted;
        try {
            accepted = intake.acceptAll(observations, prefixes, actor);
        } catch (InvalidInputException e) {
            intake.recordRejection(actor, null, e.problems());
            throw e;
        }
        Bundle response = new Bundle();
        response.setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (ObservationIntake.Accepted a : accepted) {
            response.addEntry().getResponse().setStatus("201 Created")
                    .setLocation("Observation/" + a.observation().getIdPart() + "/_history/1")
                    .setLastModified(new Date());
        }
        return response;
    }
}
