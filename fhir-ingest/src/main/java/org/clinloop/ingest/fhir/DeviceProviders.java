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
import org.clinloop.ingest.DeviceRegistry;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.MedicationStatement;

/** {@code /fhir/Device} (a patient's wearable) and {@code /fhir/MedicationStatement} (reported intake). */
public final class DeviceProviders {

    private DeviceProviders() {
    }

    @Dependent
    public static class DeviceProvider implements IResourceProvider {
        @Inject
        DeviceRegistry registry;

        @Override
        public Class<Device> getResourceType() {
            return Device.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam Device device, RequestDetails request) {
            FhirCallers.requireBody(device);
            Device stored = registry.register(device,
                    FhirCallers.requireAnyRole(request, Roles.EHR_SYSTEM, Roles.PATIENT));
            return new MethodOutcome(new IdType("Device", stored.getIdPart(), "1"), true).setResource(stored);
        }

        @Read
        public Device read(@IdParam IdType id, RequestDetails request) {
            return registry.read(id.getIdPart(), FhirCallers.actor(request));
        }

        @Search
        public List<Device> byPatient(@RequiredParam(name = Device.SP_PATIENT) ReferenceParam patient,
                                      RequestDetails request) {
            return registry.ofPatient(patient.getIdPart(), FhirCallers.actor(request));
        }
    }

    @Dependent
    public static class MedicationStatementProvider implements IResourceProvider {
        @Inject
        DeviceRegistry registry;

        @Override
        public Class<MedicationStatement> getResourceType() {
            return MedicationStatement.class;
        }

        @Create
        public MethodOutcome create(@ResourceParam MedicationStatement statement, RequestDetails request) {
            FhirCallers.requireBody(statement);
            MedicationStatement stored = registry.reportIntake(statement,
                    FhirCallers.requireAnyRole(request, Roles.EHR_SYSTEM, Roles.PATIENT));
            return new MethodOutcome(new IdType("MedicationStatement", stored.getIdPart(), "1"), true)
                    .setResource(stored);
        }

        @Read
        public MedicationStatement read(@IdParam IdType id, RequestDetails request) {
            return registry.readStatement(id.getIdPart(), FhirCallers.actor(request));
        }

        @Search
        public List<MedicationStatement> byPatient(
                @RequiredParam(name = MedicationStatement.SP_PATIENT) ReferenceParam patient, RequestDetails request) {
            return registry.statementsOf(patient.getIdPart(), FhirCallers.actor(request));
        }
    }
}
