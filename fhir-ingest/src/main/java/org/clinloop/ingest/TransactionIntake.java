package org.clinloop.ingest;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.clinloop.audit.Actor;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * A FHIR transaction from an EHR or a gateway: Patients, prescriptions (MedicationRequest) and
 * Observations, accepted whole or not at all. Entries refer to each other by {@code fullUrl}
 * ({@code urn:uuid:…}, as Synthea and most EHR exports write them); those references are
 * rewritten to the ids this server assigns. Patients are stored first, then prescriptions (which
 * may set the regimen), then observations in order of when they were measured, so that a
 * reading is decided against the regimen its own bundle brought.
 *
 * <p>References this server cannot resolve are handled, never silently: a conditional reference
 * to a Patient ({@code Patient?identifier=…}) must match exactly one; one to a type this server
 * does not keep (a {@code Practitioner?identifier=…} requester) becomes a logical reference
 * ({@code Reference.identifier}); a {@code urn:uuid:} that is no entry of the bundle (an
 * Encounter the export left out) is kept as sent. Each is reported on its entry as a warning.
 */
@ApplicationScoped
public class TransactionIntake {

    @Inject
    PatientDirectory patients;
    @Inject
    Prescriptions prescriptions;
    @Inject
    ObservationIntake observations;
    @Inject
    org.clinloop.audit.AuditLog audit;

    private final FhirContext fhir = FhirContext.forR4Cached();

    /**
     * What became of one entry.
     *
     * @param resource the stored (or, for a conditional create that matched, the existing) resource
     * @param created  false when a conditional create matched an existing resource
     * @param notes    warnings and information for the sender (unresolved references, a drug no
     *                 protocol titrates, the regimen an order set …)
     */
    public record EntryOutcome(Resource resource, boolean created, List<InputProblem> notes) {
        public EntryOutcome {
            notes = List.copyOf(notes);
        }
    }

    /** Entries of the kinds this server accepts; the caller has checked each is a POST of its type. */
    @Transactional
    public List<EntryOutcome> accept(Bundle bundle, Actor actor) {
        List<Bundle.BundleEntryComponent> entries = bundle.getEntry();
        Map<Integer, EntryOutcome> done = new HashMap<>();
        Map<Integer, List<InputProblem>> notes = new HashMap<>();
        List<InputProblem> problems = new ArrayList<>();
        Map<String, String> assigned = new HashMap<>();

        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).getResource() instanceof Patient patient) {
                Optional<Patient> match = patientMatch(entries.get(i).getRequest().getIfNoneExist(), i, actor, problems);
                PatientDirectory.Saved saved = match.map(p -> new PatientDirectory.Saved(p, List.of()))
                        .orElseGet(() -> patients.saveWithWarnings(patient, null, actor));
                Patient stored = saved.patient();
                done.put(i, new EntryOutcome(stored, match.isEmpty(), InputProblem.under(prefix(i), saved.warnings())));
                if (entries.get(i).hasFullUrl()) {
                    assigned.put(entries.get(i).getFullUrl(), "Patient/" + stored.getIdPart());
                }
            }
        }
        failIfAny(problems);

        List<Integer> orders = new ArrayList<>();
        List<Integer> readings = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Resource r = entries.get(i).getResource();
            if (r instanceof MedicationRequest || r instanceof Observation) {
                notes.put(i, resolveReferences(r, prefix(i), assigned, actor, problems));
                (r instanceof MedicationRequest ? orders : readings).add(i);
            }
        }
        failIfAny(problems);

        Set<String> prescribed = new LinkedHashSet<>();
        for (int i : orders) {
            MedicationRequest order = (MedicationRequest) entries.get(i).getResource();
            if (entries.get(i).getRequest().hasIfNoneExist()) {
                problems.add(new InputProblem("Bundle.entry[" + i + "].request.ifNoneExist", "not-supported",
                        "expected no ifNoneExist on a MedicationRequest (conditional create is supported for Patient and "
                                + "Observation), found " + entries.get(i).getRequest().getIfNoneExist()));
                continue;
            }
            try {
                Prescriptions.Stored kept = prescriptions.store(order, prefix(i), actor);
                MedicationRequest stored = kept.order();
                List<InputProblem> n = new ArrayList<>(notes.get(i));
                n.addAll(kept.warnings());
                n.addAll(prescriptions.notes(stored, prefix(i)));
                done.put(i, new EntryOutcome(stored, true, n));
                prescribed.add(stored.getSubject().getReference().substring("Patient/".length()));
            } catch (InvalidInputException e) {
                problems.addAll(e.problems());
            }
        }
        failIfAny(problems);
        for (String patientId : prescribed) {
            prescriptions.reconcile(patientId, actor).ifPresent(set -> {
                for (int i : orders) {
                    if (done.get(i).resource().getIdPart().equals(set.order())) {
                        List<InputProblem> n = new ArrayList<>(done.get(i).notes());
                        n.add(set.note(prefix(i)));
                        done.put(i, new EntryOutcome(done.get(i).resource(), true, n));
                    }
                }
            });
        }

        List<Observation> pending = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        List<Integer> pendingIndex = new ArrayList<>();
        for (int i : readings) {
            Observation obs = (Observation) entries.get(i).getResource();
            String ifNoneExist = entries.get(i).getRequest().getIfNoneExist();
            Optional<Observation> match = Optional.empty();
            if (ifNoneExist != null && !ifNoneExist.isBlank()) {
                Identifier id = identifierCriterion(ifNoneExist);
                if (id == null) {
                    problems.add(new InputProblem("Bundle.entry[" + i + "].request.ifNoneExist", "value",
                            "expected identifier=[system|]value, found " + ifNoneExist));
                    continue;
                }
                // Scoped to the entry's subject (already rewritten to the stored Patient): identifiers
                // are unique per patient.
                Observation probe = new Observation();
                probe.addIdentifier(id);
                probe.setSubject(obs.getSubject().copy());
                match = observations.existing(probe, actor);
            }
            if (match.isPresent()) {
                done.put(i, new EntryOutcome(match.get(), false, notes.get(i)));
            } else {
                pending.add(obs);
                prefixes.add(prefix(i));
                pendingIndex.add(i);
            }
        }
        failIfAny(problems);
        List<ObservationIntake.Accepted> accepted = observations.acceptAll(pending, prefixes, actor);
        for (int k = 0; k < accepted.size(); k++) {
            int i = pendingIndex.get(k);
            List<InputProblem> n = new ArrayList<>(notes.get(i));
            n.addAll(accepted.get(k).warnings());
            done.put(i, new EntryOutcome(accepted.get(k).observation(), accepted.get(k).created(), n));
        }

        List<EntryOutcome> out = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            out.add(done.get(i));
        }
        return out;
    }

    private static String prefix(int i) {
        return InputProblem.entry(i);
    }

    private static void failIfAny(List<InputProblem> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }

    /** {@code identifier=system|value}: the one matching Patient, none, or a problem when several match. */
    private Optional<Patient> patientMatch(String ifNoneExist, int i, Actor actor, List<InputProblem> problems) {
        if (ifNoneExist == null || ifNoneExist.isBlank()) {
            return Optional.empty();
        }
        String where = "Bundle.entry[" + i + "].request.ifNoneExist";
        Identifier id = identifierCriterion(ifNoneExist);
        if (id == null) {
            problems.add(new InputProblem(where, "value", "expected identifier=system|value, found " + ifNoneExist));
            return Optional.empty();
        }
        List<Patient> found = patientsWith(id, actor);
        if (found.size() > 1) {
            problems.add(new InputProblem(where, "multiple-matches",
                    "expected at most one Patient with identifier " + id.getSystem() + "|" + id.getValue()
                            + ", found several"));
            return Optional.empty();
        }
        return found.stream().findFirst();
    }

    /**
     * Rewrites the resource's references to bundle entries, resolves conditional ones, and
     * returns what the sender should know about those it could not resolve.
     */
    private List<InputProblem> resolveReferences(IBaseResource resource, String prefix, Map<String, String> assigned,
                                                 Actor actor, List<InputProblem> problems) {
        Map<Reference, String> refs = new LinkedHashMap<>();
        fhir.newTerser().visit(resource, (element, containing, children, definitions) -> {
            if (element instanceof Reference ref && ref.hasReference()) {
                refs.put(ref, prefix + children.stream().filter(java.util.Objects::nonNull)
                        .map(BaseRuntimeChildDefinition::getElementName).collect(Collectors.joining(".")));
            }
            return true;
        });
        List<InputProblem> notes = new ArrayList<>();
        for (Map.Entry<Reference, String> e : refs.entrySet()) {
            Reference ref = e.getKey();
            String where = e.getValue();
            String value = ref.getReference();
            if (assigned.containsKey(value)) {
                ref.setReference(assigned.get(value));
            } else if ((value.startsWith("urn:uuid:") || value.startsWith("urn:oid:")) && where.endsWith(".subject")) {
                problems.add(new InputProblem(where, "not-found", "expected the fullUrl of a Patient entry of this Bundle,"
                        + " found " + value + ", which is no entry of this Bundle"));
            } else if (value.startsWith("urn:uuid:") || value.startsWith("urn:oid:")) {
                notes.add(new InputProblem(where, "not-found", value + " is no entry of this Bundle"
                        + " (its resource was not sent); kept as sent, unresolved"));
            } else if (value.matches("[A-Z][A-Za-z]+\\?.*")) {
                String type = value.substring(0, value.indexOf('?'));
                Identifier id = identifierCriterion(value);
                if (id == null) {
                    problems.add(new InputProblem(where, "not-supported", "expected a conditional reference "
                            + type + "?identifier=system|value, found " + value));
                } else if ("Patient".equals(type)) {
                    List<Patient> found = patientsWith(id, actor);
                    if (found.size() != 1) {
                        problems.add(new InputProblem(where, found.isEmpty() ? "not-found" : "multiple-matches",
                                "expected exactly one Patient matching " + value + ", found " + found.size()));
                    } else {
                        ref.setReference("Patient/" + found.get(0).getIdPart());
                    }
                } else {
                    ref.setReference(null);
                    ref.setIdentifier(id);
                    notes.add(new InputProblem(where, "informational", "conditional reference " + value
                            + " kept as a logical reference (Reference.identifier): this server keeps no " + type
                            + " resources"));
                }
            }
        }
        return notes;
    }

    /** At most two Patients with this identifier: enough to tell none, one and several apart. */
    private List<Patient> patientsWith(Identifier id, Actor actor) {
        return patients.search(new PatientDirectory.Query(id.getSystem(), id.getValue(), null, null, null), actor, 2);
    }

    /**
     * The one search ClinLoop answers in a conditional create or reference, {@code
     * [Type?]identifier=[system|]value} (URL-encoded), as an Identifier; null when not that form.
     */
    public static Identifier identifierCriterion(String criteria) {
        String query = criteria == null ? null : criteria.substring(criteria.indexOf('?') + 1);
        if (query == null || !query.startsWith("identifier=") || query.contains("&")) {
            return null;
        }
        String v = java.net.URLDecoder.decode(query.substring("identifier=".length()), java.nio.charset.StandardCharsets.UTF_8);
        int bar = v.indexOf('|');
        String system = bar < 0 ? null : v.substring(0, bar);
        String value = bar < 0 ? v : v.substring(bar + 1);
        return value.isBlank() ? null : new Identifier().setSystem(system == null || system.isEmpty() ? null : system)
                .setValue(value);
    }
}
