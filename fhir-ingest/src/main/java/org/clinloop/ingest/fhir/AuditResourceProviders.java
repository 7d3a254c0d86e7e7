package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clinloop.approval.Roles;
import org.clinloop.approval.TierRecorded;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.PatientDataRead;
import org.clinloop.audit.SignInFailures;
import org.clinloop.recommendation.ProposalRecorded;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;

/**
 * Read-only FHIR views of the audit log: every entry as an AuditEvent (in the manner of IHE
 * Basic Audit Log Patterns), and every decision as a Provenance naming the model, the rules and
 * bounds, and the observation it came from. Compliance officers see all; a patient sees the
 * events about themself (who did what with their record).
 */
public final class AuditResourceProviders {

    static final String CLINLOOP_EVENTS = "https://clinloop.org/fhir/CodeSystem/audit-event";
    static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    static final String OBJECT_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    static final Set<AuditEventType> READS = Set.of(AuditEventType.AUDIT_READ, AuditEventType.AUDIT_VERIFIED,
            AuditEventType.AUDIT_EXPORTED);

    private AuditResourceProviders() {
    }

    static Actor reader(RequestDetails request, String patient) {
        Actor actor = FhirCallers.requireAnyRole(request, Roles.COMPLIANCE_OFFICER, Roles.PATIENT);
        if (!actor.hasRole(Roles.COMPLIANCE_OFFICER) && (patient == null || !patient.equals(actor.patientId()))) {
            throw new ForbiddenOperationException(actor.id() + " may read only the audit events about themself");
        }
        return actor;
    }

    static AuditEvent auditEvent(AuditEntry e) {
        AuditEvent ae = new AuditEvent();
        ae.setId(String.valueOf(e.sequence()));
        boolean read = READS.contains(e.type());
        if (e.type() == AuditEventType.SIGN_IN || e.type() == AuditEventType.SIGN_IN_FAILED) {
            ae.setType(new Coding(DCM, "110114", "User Authentication"));
            ae.addSubtype(new Coding(DCM, "110122", "Login"));
        } else if (read) {
            ae.setType(new Coding(DCM, "110112", "Query"));
        } else {
            ae.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        }
        ae.addSubtype(new Coding(CLINLOOP_EVENTS, e.type().name(), null));
        ae.setAction(read ? AuditEvent.AuditEventAction.R
                : e.type() == AuditEventType.TIER_DECIDED || e.type() == AuditEventType.PROPOSAL_MADE
                        ? AuditEvent.AuditEventAction.E : AuditEvent.AuditEventAction.C);
        ae.setRecorded(Date.from(e.recordedAt()));
        ae.setOutcome(e.type() == AuditEventType.OBSERVATION_REJECTED || e.type() == AuditEventType.MODEL_ACTIVATION_REFUSED
                || e.type() == AuditEventType.SIGN_IN_FAILED || e.type() == AuditEventType.SCOPE_REFUSED
                || e.type() == AuditEventType.CARE_TEAM_CHANGE_REFUSED
                ? AuditEvent.AuditEventOutcome._4 : AuditEvent.AuditEventOutcome._0);
        AuditEvent.AuditEventAgentComponent agent = ae.addAgent();
        agent.setWho(new Reference().setDisplay(e.actorId())).setRequestor(true);
        if (e.actorId().startsWith("system:")) {
            agent.getType().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "110150", "Application"));
        }
        ae.getSource().setObserver(new Reference().setDisplay("ClinLoop")).addType(
                new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server"));
        if (e.type() == PatientDataRead.TYPE) {
            patientDataRead(ae, PatientDataRead.fromEntry(e));
        } else if (e.type() == SignInFailures.TYPE) {
            signInFailures(ae, SignInFailures.fromEntry(e));
        } else if (e.patientId() != null) {
            ae.addEntity().setWhat(new Reference("Patient/" + e.patientId()))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        AuditEvent.AuditEventEntityComponent record = ae.addEntity();
        record.setWhat(new Reference().setIdentifier(new Identifier().setSystem("urn:clinloop:audit-entry")
                .setValue(String.valueOf(e.sequence()))).setDisplay("audit entry " + e.sequence()));
        record.addDetail().setType("detail").setValue(new org.hl7.fhir.r4.model.StringType(e.detailJson()));
        record.addDetail().setType("entryHash").setValue(new org.hl7.fhir.r4.model.StringType(e.hash()));
        return ae;
    }

    /**
     * A read of patient data as BALP has it: a RESTful operation of the interaction read (action R)
     * or a query (action E, the query as an entity), the client app as a second agent, each patient
     * as an entity, and the outcome.
     */
    static void patientDataRead(AuditEvent ae, PatientDataRead read) {
        boolean query = !read.interaction().equals("read") && !read.interaction().equals("vread");
        ae.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", "RESTful Operation"));
        ae.getSubtype().add(0, new Coding("http://hl7.org/fhir/restful-interaction", read.interaction(), null));
        ae.setAction(query ? AuditEvent.AuditEventAction.E : AuditEvent.AuditEventAction.R);
        ae.setOutcome(switch (read.outcome()) {
            case SUCCESS -> AuditEvent.AuditEventOutcome._0;
            case FAILED -> AuditEvent.AuditEventOutcome._8;
            default -> AuditEvent.AuditEventOutcome._4;
        });
        ae.setOutcomeDesc(read.status() + " " + read.outcome());
        for (String role : read.roles()) {
            ae.getAgentFirstRep().addRole().addCoding(new Coding(FhirViews.CLINLOOP_CODES + "/role", role, null));
        }
        if (read.client() != null) {
            ae.addAgent().setWho(new Reference().setDisplay(read.client())).setRequestor(false).getType()
                    .addCoding(new Coding(DCM, "110150", "Application"));
        }
        for (String patient : read.patients()) {
            ae.addEntity().setWhat(new Reference("Patient/" + patient))
                    .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "1", "Person"))
                    .setRole(new Coding(OBJECT_ROLE, "1", "Patient"));
        }
        AuditEvent.AuditEventEntityComponent asked = ae.addEntity()
                .setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-entity-type", "2", "System Object"))
                .setDescription(read.request() + (read.query().isEmpty() ? "" : "?" + String.join("&", read.query())));
        if (query) {
            asked.setRole(new Coding(OBJECT_ROLE, "24", "Query"))
                    .setQuery(String.join("&", read.query()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            asked.setRole(new Coding(OBJECT_ROLE, "4", "Domain Resource"));
            if (!read.ids().isEmpty()) {
                asked.setWhat(new Reference(read.ids().get(0)));
            }
        }
    }

    /** Failed sign-ins: who was named (when Keycloak knows), from where, how many. */
    static void signInFailures(AuditEvent ae, SignInFailures failed) {
        AuditEvent.AuditEventAgentComponent tried = ae.addAgent().setRequestor(true);
        tried.setWho(new Reference().setDisplay(failed.username() != null ? failed.username()
                : failed.client() != null ? failed.client() : "unknown"));
        tried.getNetwork().setAddress(failed.source())
                .setType(AuditEvent.AuditEventAgentNetworkType._2);
        ae.getAgentFirstRep().setRequestor(false);
        ae.setOutcomeDesc(failed.count() + " × " + failed.reason() + " (refused by " + failed.refusedBy() + ")");
    }

    static Provenance provenance(AuditEntry decided, ProposalRecorded proposal) {
        TierRecorded d = TierRecorded.fromEntry(decided);
        Provenance p = new Provenance();
        p.setId("decision-" + decided.sequence());
        p.addTarget(new Reference().setIdentifier(new Identifier().setSystem(FhirViews.CLINLOOP_CODES + "/proposal")
                .setValue(d.proposalId())).setDisplay("tier " + d.tier()));
        p.setRecorded(Date.from(decided.recordedAt()));
        p.getActivity().addCoding(new Coding(CLINLOOP_EVENTS, "TIER_DECIDED", "Safety rules decided the tier"));
        if (proposal != null) {
            ProposalRecorded.Model model = proposal.model();
            p.addAgent().setWho(new Reference().setDisplay("model " + model.id() + " (provenance sha256 "
                    + model.provenanceHash() + ")")).getType().addCoding(new Coding(
                    "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "author", "Author"));
            if (proposal.observationId() != null) {
                p.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
                        .setWhat(new Reference("Observation/" + proposal.observationId()));
            }
        }
        p.addAgent().setWho(new Reference().setDisplay("rules " + d.rulesVersion() + " over bounds v"
                + d.boundsVersion())).getType().addCoding(new Coding(
                "http://terminology.hl7.org/CodeSystem/provenance-participant-type", "verifier", "Verifier"));
        if (decided.patientId() != null) {
            p.addEntity().setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(new Reference("Patient/" + decided.patientId()));
        }
        return p;
    }

    @Dependent
    public static class AuditEventProvider implements IResourceProvider {
        @Inject
        AuditLog log;

        @Override
        public Class<AuditEvent> getResourceType() {
            return AuditEvent.class;
        }

        @Read
        public AuditEvent read(@IdParam IdType id, RequestDetails request) {
            long seq;
            try {
                seq = Long.parseLong(id.getIdPart());
            } catch (NumberFormatException e) {
                throw new ResourceNotFoundException("No AuditEvent/" + id.getIdPart());
            }
            AuditEntry e = log.entry(seq).orElseThrow(() -> new ResourceNotFoundException("No AuditEvent/" + seq));
            reader(request, e.patientId());
            return auditEvent(e);
        }

        @Search
        public List<AuditEvent> byPatient(@RequiredParam(name = AuditEvent.SP_PATIENT) ReferenceParam patient,
                                          RequestDetails request) {
            reader(request, patient.getIdPart());
            return log.read(new AuditQuery(patient.getIdPart(), null, 500)).stream().map(AuditResourceProviders::auditEvent)
                    .toList();
        }
    }

    @Dependent
    public static class ProvenanceProvider implements IResourceProvider {
        @Inject
        AuditLog log;

        @Override
        public Class<Provenance> getResourceType() {
            return Provenance.class;
        }

        /** {@code Provenance/decision-{sequence}}: one decision, named by its TIER_DECIDED audit entry. */
        @Read
        public Provenance read(@IdParam IdType id, RequestDetails request) {
            FhirCallers.requireAnyRole(request, Roles.COMPLIANCE_OFFICER);
            String idPart = id.getIdPart();
            long seq;
            try {
                seq = Long.parseLong(idPart.startsWith("decision-") ? idPart.substring("decision-".length()) : "x");
            } catch (NumberFormatException e) {
                throw new ResourceNotFoundException("No Provenance/" + idPart + "; expected decision-{audit sequence}.");
            }
            AuditEntry decided = log.entry(seq).filter(e -> e.type() == AuditEventType.TIER_DECIDED)
                    .orElseThrow(() -> new ResourceNotFoundException("No Provenance/" + idPart + "."));
            String proposal = TierRecorded.fromEntry(decided).proposalId();
            return provenance(decided, decided.patientId() == null ? null : proposalsOf(decided.patientId()).get(proposal));
        }

        @Search
        public List<Provenance> byPatient(@RequiredParam(name = Provenance.SP_PATIENT) ReferenceParam patient,
                                          RequestDetails request) {
            FhirCallers.requireAnyRole(request, Roles.COMPLIANCE_OFFICER);
            String id = patient.getIdPart();
            Map<String, ProposalRecorded> proposals = proposalsOf(id);
            List<Provenance> out = new ArrayList<>();
            for (AuditEntry e : log.read(new AuditQuery(id, TierRecorded.TYPE, 1000))) {
                out.add(provenance(e, proposals.get(TierRecorded.fromEntry(e).proposalId())));
            }
            return out;
        }

        /** The patient's recorded proposals, by proposal id. */
        private Map<String, ProposalRecorded> proposalsOf(String patientId) {
            Map<String, ProposalRecorded> proposals = new HashMap<>();
            for (AuditEntry e : log.read(new AuditQuery(patientId, ProposalRecorded.TYPE, 1000))) {
                ProposalRecorded p = ProposalRecorded.fromEntry(e);
                proposals.put(p.proposalId(), p);
            }
            return proposals;
        }
    }
}
