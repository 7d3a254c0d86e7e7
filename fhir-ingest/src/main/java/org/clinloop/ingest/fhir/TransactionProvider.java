package org.clinloop.ingest.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.approval.AccessRefusedException;
import org.clinloop.approval.Roles;
import org.clinloop.approval.UnknownResourceException;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.outage.DatabaseUnavailable;
import org.clinloop.ingest.AssertionRefusedException;
import org.clinloop.ingest.CareTeamChangeRefusedException;
import org.clinloop.ingest.InputProblem;
import org.clinloop.ingest.InvalidInputException;
import org.clinloop.ingest.ObservationIntake;
import org.clinloop.ingest.PatientDirectory;
import org.clinloop.ingest.Prescriptions;
import org.clinloop.ingest.TransactionIntake;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * {@code POST /fhir} with a Bundle. A {@code transaction} (Patients, prescriptions and
 * Observations, referring to each other by {@code urn:uuid:} fullUrls) is accepted whole or not
 * at all, see {@link TransactionIntake}; each entry's response carries an OperationOutcome of
 * warnings when something was not resolved. A {@code batch} of Observations, Patients (POST, or
 * PUT Patient/{id}) and EHR prescriptions is accepted entry by entry, each in its own
 * transaction and answered with its own status (and OperationOutcome when refused), so one bad
 * entry does not cost the others; it refers to stored resources, not to other entries. Observation
 * entries may carry {@code request.ifNoneExist: identifier=…} (conditional create).
 *
 * <p>A Bundle of more than {@code clinloop.limits.bundle-entries} (1000) entries is refused whole
 * with 413 before any entry is looked at: nothing is stored, checked or recorded.
 */
@Dependent
public class TransactionProvider {

    private static final Logger LOG = Logger.getLogger(TransactionProvider.class.getName());

    @Inject
    ObservationIntake intake;
    @Inject
    TransactionIntake transactions;
    @Inject
    Prescriptions prescriptions;
    @Inject
    PatientDirectory patients;
    @Inject
    AuditLog audit;
    @Inject
    @ConfigProperty(name = "clinloop.limits.bundle-entries", defaultValue = "1000")
    int maxEntries;

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
        Actor actor = FhirCallers.requireAnyRole(request, Roles.EHR_SYSTEM, Roles.PATIENT, Roles.CLINICIAN);
        boolean batch = bundle.getType() == Bundle.BundleType.BATCH;
        if (!batch && bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new InvalidRequestException("Expected Bundle.type transaction or batch, found "
                    + (bundle.hasType() ? bundle.getType().toCode() : "none"));
        }
        requireWithinEntryCap(bundle, maxEntries);
        java.util.Map<Integer, SystemScopeHooks.Refused> refused = refusedByScope(bundle, batch, request);
        return batch ? batch(bundle, actor, refused) : transaction(bundle, actor);
    }

    /**
     * A system client's SMART scopes, checked for every entry before the first is looked at (issue
     * 14): a transaction with any entry its scopes do not allow is refused whole (403, one issue per
     * such entry); a batch answers each such entry 403 and goes on with the others. Either way one
     * {@code SCOPE_REFUSED} entry records them. Returns the batch entries refused, by index.
     */
    private java.util.Map<Integer, SystemScopeHooks.Refused> refusedByScope(Bundle bundle, boolean batch, RequestDetails request) {
        Optional<Actor> system = SystemScopeHooks.system(request);
        if (system.isEmpty()) {
            return java.util.Map.of();
        }
        SystemScopes scopes = SystemScopeHooks.scopes(request);
        List<SystemScopeHooks.Refused> refused = SystemScopeHooks.refusedEntries(scopes, bundle);
        if (refused.isEmpty()) {
            return java.util.Map.of();
        }
        new SystemScopeHooks(audit).record(system.get(), request, scopes, refused);
        if (!batch) {
            throw SystemScopeHooks.forbidden(refused);
        }
        java.util.Map<Integer, SystemScopeHooks.Refused> entries = new java.util.HashMap<>();
        refused.forEach(r -> entries.put(r.entry(), r));
        return entries;
    }

    /** 413 with an OperationOutcome naming the cap and the count when the Bundle has more than {@code max} entries. */
    static void requireWithinEntryCap(Bundle bundle, int max) {
        int count = bundle.getEntry().size();
        if (count <= max) {
            return;
        }
        String message = "Expected a " + bundle.getType().toCode() + " Bundle of at most " + max + " entries, found "
                + count + "; split it into Bundles of " + max + " or fewer.";
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(OperationOutcome.IssueType.TOOCOSTLY)
                .setDiagnostics(message).addExpression("Bundle.entry");
        throw new PayloadTooLargeException(message, oo);
    }

    private Bundle transaction(Bundle bundle, Actor actor) {
        Set<String> fullUrls = new HashSet<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent e = bundle.getEntry().get(i);
            transactionEntry(e, i);
            if (e.hasFullUrl() && !fullUrls.add(e.getFullUrl())) {
                throw new InvalidRequestException("Expected each Bundle.entry.fullUrl once, found " + e.getFullUrl()
                        + " again at Bundle.entry[" + i + "]");
            }
        }
        List<TransactionIntake.EntryOutcome> outcomes;
        try {
            outcomes = transactions.accept(bundle, actor);
        } catch (InvalidInputException e) {
            intake.recordRejection(actor, null, e.problems());
            throw e;
        } catch (AssertionRefusedException e) {
            intake.recordRejection(actor, null, e.problems());
            throw e;
        }
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (TransactionIntake.EntryOutcome o : outcomes) {
            Bundle.BundleEntryComponent entry = ok(response, o.resource(), o.created());
            if (!o.notes().isEmpty()) {
                entry.getResponse().setOutcome(OutcomeTranslator.notes(o.notes()));
            }
        }
        return response;
    }

    /** The kinds a transaction may carry: each entry a POST of a Patient, MedicationRequest or Observation. */
    private static void transactionEntry(Bundle.BundleEntryComponent e, int i) {
        Resource r = e.getResource();
        if (!(r instanceof Observation || r instanceof Patient || r instanceof MedicationRequest)) {
            throw new InvalidRequestException("Expected Bundle.entry[" + i + "].resource to be a Patient, "
                    + "MedicationRequest or Observation, found " + (r == null ? "none" : r.fhirType()));
        }
        if (e.getRequest().getMethod() != Bundle.HTTPVerb.POST || !r.fhirType().equals(e.getRequest().getUrl())) {
            throw new InvalidRequestException("Expected Bundle.entry[" + i + "].request POST " + r.fhirType()
                    + ", found " + e.getRequest().getMethod() + " " + e.getRequest().getUrl());
        }
    }

    private Bundle batch(Bundle bundle, Actor actor, java.util.Map<Integer, SystemScopeHooks.Refused> refusedByScope) {
        Bundle response = new Bundle().setType(Bundle.BundleType.BATCHRESPONSE);
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent e = bundle.getEntry().get(i);
            SystemScopeHooks.Refused scope = refusedByScope.get(i);
            if (scope != null) {
                failed(response, "403 Forbidden", (OperationOutcome) SystemScopeHooks.forbidden(List.of(scope))
                        .getOperationOutcome());
                continue;
            }
            if (e.getResource() instanceof Patient || e.getResource() instanceof MedicationRequest) {
                recordEntry(response, e, i, actor);
                continue;
            }
            Observation obs = null;
            try {
                obs = observationEntry(e, i);
                Optional<Observation> match = conditionalMatch(e, obs, actor);
                if (match.isPresent()) {
                    ok(response, match.get(), false);
                    continue;
                }
                ObservationIntake.Accepted a = intake.accept(obs, actor);
                Bundle.BundleEntryComponent entry = ok(response, a.observation(), a.created());
                if (!a.warnings().isEmpty()) {
                    entry.getResponse().setOutcome(OutcomeTranslator.notes(
                            InputProblem.under(InputProblem.entry(i), a.warnings())));
                }
            } catch (InvalidInputException refused) {
                List<InputProblem> problems = InputProblem.under(InputProblem.entry(i), refused.problems());
                intake.recordRejection(actor, subject(obs), problems);
                failed(response, "422 Unprocessable Entity", OutcomeTranslator.outcome(problems));
            } catch (AssertionRefusedException refused) {
                List<InputProblem> problems = InputProblem.under(InputProblem.entry(i), refused.problems());
                intake.recordRejection(actor, subject(obs), problems);
                failed(response, "403 Forbidden", OutcomeTranslator.outcome(problems));
            } catch (AccessRefusedException refused) {
                failed(response, "403 Forbidden", single(OperationOutcome.IssueType.FORBIDDEN, refused.getMessage()));
            } catch (UnknownResourceException unknown) {
                failed(response, "404 Not Found", single(OperationOutcome.IssueType.NOTFOUND, unknown.getMessage()));
            } catch (BaseServerResponseException known) {
                failed(response, String.valueOf(known.getStatusCode()),
                        single(OperationOutcome.IssueType.INVALID, known.getMessage()));
            } catch (RuntimeException unexpected) {
                Optional<Observation> winner = obs != null && ObservationProvider.duplicate(unexpected)
                        ? intake.existing(obs, actor) : Optional.empty();
                if (winner.isPresent()) {
                    ok(response, winner.get(), false);
                    continue;
                }
                internalError(response, i, unexpected);
            }
        }
        return response;
    }

    /**
     * One batch entry of a Patient (POST Patient, or PUT Patient/{id}) or an EHR prescription (POST
     * MedicationRequest), each in its own transaction, answered like the plain interaction.
     */
    private void recordEntry(Bundle response, Bundle.BundleEntryComponent e, int i, Actor actor) {
        Resource r = e.getResource();
        String method = String.valueOf(e.getRequest().getMethod());
        String url = String.valueOf(e.getRequest().getUrl());
        try {
            if (e.getRequest().hasIfNoneExist()) {
                throw new InvalidInputException(List.of(new InputProblem("Bundle.entry[" + i + "].request.ifNoneExist",
                        "not-supported", "expected no ifNoneExist on a " + r.fhirType() + " in a batch (a transaction "
                        + "matches Patients by identifier; Observations may be conditional here), found "
                        + e.getRequest().getIfNoneExist())));
            }
            if (r instanceof MedicationRequest order && "POST".equals(method) && "MedicationRequest".equals(url)) {
                Prescriptions.Accepted accepted;
                try {
                    accepted = prescriptions.accept(order, actor);
                } catch (InvalidInputException refused) {
                    throw new InvalidInputException(InputProblem.under(InputProblem.entry(i), refused.problems()));
                }
                Bundle.BundleEntryComponent entry = ok(response, accepted.order(), true);
                if (!accepted.notes().isEmpty()) {
                    entry.getResponse().setOutcome(OutcomeTranslator.notes(
                            InputProblem.under(InputProblem.entry(i), accepted.notes())));
                }
                return;
            }
            String id = r instanceof Patient && "PUT".equals(method) && url.startsWith("Patient/")
                    ? url.substring("Patient/".length()) : null;
            if (r instanceof Patient patient && (id != null || "POST".equals(method) && "Patient".equals(url))) {
                PatientDirectory.Saved saved;
                try {
                    saved = patients.saveWithWarnings(patient, id, actor);
                } catch (CareTeamChangeRefusedException refused) {
                    patients.recordRefusal(refused, actor, null);
                    throw refused;
                } catch (InvalidInputException refused) {
                    throw new InvalidInputException(InputProblem.under(InputProblem.entry(i), refused.problems()));
                }
                Bundle.BundleEntryComponent entry = ok(response, saved.patient(),
                        "1".equals(saved.patient().getMeta().getVersionId()));
                if (!saved.warnings().isEmpty()) {
                    entry.getResponse().setOutcome(OutcomeTranslator.notes(
                            InputProblem.under(InputProblem.entry(i), saved.warnings())));
                }
                return;
            }
            throw new InvalidRequestException("Expected Bundle.entry[" + i + "].request POST " + r.fhirType()
                    + (r instanceof Patient ? " or PUT Patient/{id}" : "") + ", found " + method + " " + url);
        } catch (InvalidInputException refused) {
            failed(response, "422 Unprocessable Entity", OutcomeTranslator.outcome(refused.problems()));
        } catch (AccessRefusedException refused) {
            failed(response, "403 Forbidden", single(OperationOutcome.IssueType.FORBIDDEN, refused.getMessage()));
        } catch (BaseServerResponseException known) {
            failed(response, String.valueOf(known.getStatusCode()),
                    single(OperationOutcome.IssueType.INVALID, known.getMessage()));
        } catch (RuntimeException unexpected) {
            internalError(response, i, unexpected);
        }
    }

    private static Observation observationEntry(Bundle.BundleEntryComponent e, int i) {
        if (!(e.getResource() instanceof Observation obs)) {
            throw new InvalidRequestException("Expected Bundle.entry[" + i + "].resource to be an Observation, "
                    + "Patient or MedicationRequest, found " + (e.hasResource() ? e.getResource().fhirType() : "none"));
        }
        if (e.getRequest().getMethod() != Bundle.HTTPVerb.POST || !"Observation".equals(e.getRequest().getUrl())) {
            throw new InvalidRequestException("Expected Bundle.entry[" + i + "].request POST Observation, found "
                    + e.getRequest().getMethod() + " " + e.getRequest().getUrl());
        }
        return obs;
    }

    private Optional<Observation> conditionalMatch(Bundle.BundleEntryComponent e, Observation obs, Actor actor) {
        String ifNoneExist = e.getRequest().getIfNoneExist();
        return ifNoneExist == null || ifNoneExist.isBlank() ? Optional.empty()
                : intake.existing(ObservationProvider.criteria(ifNoneExist, obs), actor);
    }

    private static Bundle.BundleEntryComponent ok(Bundle response, Resource r, boolean created) {
        String version = r.getMeta().hasVersionId() ? r.getMeta().getVersionId() : "1";
        String id = r.fhirType() + "/" + r.getIdElement().getIdPart();
        Bundle.BundleEntryComponent entry = response.addEntry().setFullUrl(id);
        entry.getResponse()
                .setStatus(created ? "201 Created" : "200 OK")
                .setLocation(id + "/_history/" + version)
                .setEtag("W/\"" + version + "\"")
                .setLastModified(r.getMeta().getLastUpdated() == null ? new Date() : r.getMeta().getLastUpdated());
        return entry;
    }

    /** An entry that failed for a reason of ours: logged with an incident id the sender is given (503 in an outage). */
    private static void internalError(Bundle response, int i, RuntimeException unexpected) {
        if (OutcomeTranslator.OUTAGES.outage(unexpected)) {
            // Issue 17: this entry's transaction rolled back; the sender may send it again.
            failed(response, "503 Service Unavailable",
                    single(OperationOutcome.IssueType.TRANSIENT, DatabaseUnavailable.ANSWER));
            return;
        }
        String incident = UUID.randomUUID().toString();
        LOG.log(Level.SEVERE, "Batch entry " + i + " failed, incident " + incident, unexpected);
        failed(response, "500 Internal Server Error",
                single(OperationOutcome.IssueType.EXCEPTION, "Internal error, incident " + incident));
    }

    private static void failed(Bundle response, String status, OperationOutcome outcome) {
        response.addEntry().getResponse().setStatus(status).setOutcome(outcome);
    }

    private static OperationOutcome single(OperationOutcome.IssueType type, String message) {
        OperationOutcome oo = new OperationOutcome();
        oo.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR).setCode(type).setDiagnostics(message);
        return oo;
    }

    private static String subject(Observation obs) {
        String ref = obs == null ? null : obs.getSubject().getReference();
        return ref != null && ref.startsWith("Patient/") ? ref.substring(8) : null;
    }
}
