package org.clinloop.ingest.fhir;

import ca.uhn.fhir.model.api.annotation.Description;
import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Count;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.RequiredParam;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenOrListParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.clinloop.approval.Roles;
import org.clinloop.audit.Actor;
import org.clinloop.ingest.AssertionRefusedException;
import org.clinloop.ingest.InvalidInputException;
import org.clinloop.ingest.ObservationIntake;
import org.clinloop.ingest.ObservationRules;
import org.clinloop.ingest.TransactionIntake;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IPrimitiveType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.StringType;

/**
 * {@code /fhir/Observation}: readings in, each driving the titration decision; search by patient,
 * code, date and {@code _lastUpdated}, paged; {@code $lastn}.
 */
@Dependent
public class ObservationProvider implements IResourceProvider {

    /** Search pages are never larger than this. */
    static final int MAX_PAGE = 500;

    @Inject
    ObservationIntake intake;

    @Override
    public Class<Observation> getResourceType() {
        return Observation.class;
    }

    /**
     * Create, or conditional create ({@code If-None-Exist: identifier=system|value}): an
     * Observation whose identifier is already stored for the same patient is answered 200 with the
     * stored one, so a gateway may retry a reading without storing it twice. The same identifier
     * of another patient is no match (identifiers are unique per patient).
     */
    @Create
    public MethodOutcome create(@ResourceParam Observation observation, @ConditionalUrlParam String conditionalUrl,
                                RequestDetails request) {
        FhirCallers.requireBody(observation);
        Actor actor = FhirCallers.requireAnyRole(request, Roles.EHR_SYSTEM, Roles.PATIENT, Roles.CLINICIAN);
        if (conditionalUrl != null) {
            Optional<Observation> match = intake.existing(criteria(conditionalUrl, observation), actor);
            if (match.isPresent()) {
                return existing(match.get());
            }
        }
        try {
            ObservationIntake.Accepted accepted = intake.accept(observation, actor);
            if (!accepted.created()) {
                return existing(accepted.observation());
            }
            Observation stored = accepted.observation();
            MethodOutcome outcome = new MethodOutcome(new IdType("Observation", stored.getIdPart(), "1"), true)
                    .setResource(stored);
            if (!accepted.warnings().isEmpty()) {
                // Returned as the body when the client asks for it (Prefer: return=OperationOutcome).
                outcome.setOperationOutcome(OutcomeTranslator.notes(accepted.warnings()));
            }
            return outcome;
        } catch (InvalidInputException e) {
            intake.recordRejection(actor, subject(observation), e.problems());
            throw e;
        } catch (AssertionRefusedException e) {
            intake.recordRejection(actor, subject(observation), e.problems());
            throw e;
        } catch (RuntimeException e) {
            // Two senders raced with the same patient and identifier: the unique index refused the second.
            Optional<Observation> winner = duplicate(e) ? intake.existing(observation, actor) : Optional.empty();
            if (winner.isPresent()) {
                return existing(winner.get());
            }
            throw e;
        }
    }

    private static String subject(Observation observation) {
        String subject = observation.getSubject().getReference();
        return subject != null && subject.startsWith("Patient/") ? subject.substring(8) : null;
    }

    private static MethodOutcome existing(Observation stored) {
        return new MethodOutcome(new IdType("Observation", stored.getIdPart(), "1"), false).setResource(stored);
    }

    static boolean duplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.clinloop.ingest.internal.FhirStore.DuplicateIdentifierException) {
                return true;
            }
        }
        return false;
    }

    /**
     * The only conditional-create criterion ClinLoop answers, {@code identifier=[system|]value},
     * as a probe for {@link ObservationIntake#existing}: the identifier, and the subject of the
     * Observation being created, since identifiers are unique per patient and a match is only ever
     * looked for among that patient's readings.
     */
    static Observation criteria(String conditionalUrl, Observation sent) {
        Identifier id = TransactionIntake.identifierCriterion(conditionalUrl);
        if (id == null) {
            throw new InvalidRequestException("Expected If-None-Exist: identifier=[system|]value, found " + conditionalUrl);
        }
        Observation probe = new Observation();
        probe.addIdentifier(id);
        probe.setSubject(sent.getSubject().copy());
        return probe;
    }

    @Read
    public Observation read(@IdParam IdType id, RequestDetails request) {
        return intake.read(id.getIdPart(), FhirCallers.actor(request));
    }

    /**
     * {@code Observation?patient=…[&code=http://loinc.org|85354-9,…][&date=ge…&date=le…]
     * [&_lastUpdated=ge…][&_count=…]}, newest measurement first, paged.
     */
    @Search
    public IBundleProvider search(@RequiredParam(name = Observation.SP_PATIENT) ReferenceParam patient,
                                  @OptionalParam(name = Observation.SP_CODE) TokenOrListParam code,
                                  @OptionalParam(name = Observation.SP_DATE) DateRangeParam date,
                                  @OptionalParam(name = "_lastUpdated") DateRangeParam lastUpdated,
                                  @Count Integer count,
                                  RequestDetails request) {
        Actor actor = FhirCallers.actor(request);
        List<String> codes = new ArrayList<>();
        if (code != null) {
            for (TokenParam t : code.getValuesAsQueryTokens()) {
                if (t.getSystem() != null && !ObservationRules.LOINC.equals(t.getSystem())) {
                    throw new InvalidRequestException("Expected code system " + ObservationRules.LOINC
                            + " (or none), found " + t.getSystem());
                }
                codes.add(t.getValue());
            }
        }
        ObservationIntake.Query query = new ObservationIntake.Query(patient.getIdPart(), codes,
                lower(date), upper(date), lower(lastUpdated), upper(lastUpdated));
        int size = intake.count(query, actor);
        Date published = new Date();
        return new IBundleProvider() {
            @Override
            public IPrimitiveType<Date> getPublished() {
                return new InstantType(published);
            }

            @Override
            public List<IBaseResource> getResources(int from, int to) {
                int limit = Math.min(Math.max(0, to - from), MAX_PAGE);
                return limit == 0 ? List.of() : new ArrayList<>(intake.search(query, actor, from, limit));
            }

            @Override
            public String getUuid() {
                return null;
            }

            @Override
            public Integer preferredPageSize() {
                return count == null ? null : Math.min(Math.max(count, 0), MAX_PAGE);
            }

            @Override
            public Integer size() {
                return size;
            }
        };
    }

    /**
     * {@code Observation/$lastn?patient=…[&code=…][&max=3]}: the latest {@code max} observations
     * of each code (of the given ones, or of every kind ClinLoop accepts).
     */
    @Operation(name = "$lastn", idempotent = true, bundleType = ca.uhn.fhir.model.valueset.BundleTypeEnum.SEARCHSET)
    public Bundle lastN(@Description(shortDefinition = "the patient") @OperationParam(name = "patient", min = 1)
                        StringType patient,
                        @OperationParam(name = "code") List<StringType> code,
                        @OperationParam(name = "max") IntegerType max,
                        RequestDetails request) {
        String ref = patient == null ? null : patient.getValue();
        if (ref == null || ref.isBlank()) {
            throw new InvalidRequestException("Expected patient=Patient/{id}, found none");
        }
        String patientId = ref.startsWith("Patient/") ? ref.substring("Patient/".length()) : ref;
        int n = max == null || max.getValue() == null ? 1 : max.getValue();
        if (n < 1 || n > 100) {
            throw new InvalidRequestException("Expected max between 1 and 100, found " + n);
        }
        List<String> codes = new ArrayList<>();
        if (code != null) {
            for (StringType c : code) {
                for (String one : c.getValue().split(",")) {
                    int bar = one.indexOf('|');
                    codes.add(bar < 0 ? one : one.substring(bar + 1));
                }
            }
        }
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        for (Observation o : intake.lastN(patientId, codes, n, FhirCallers.actor(request))) {
            bundle.addEntry().setFullUrl("Observation/" + o.getIdPart()).setResource(o)
                    .getSearch().setMode(Bundle.SearchEntryMode.MATCH);
        }
        bundle.setTotal(bundle.getEntry().size());
        return bundle;
    }

    private static Instant lower(DateRangeParam range) {
        Date d = range == null ? null : range.getLowerBoundAsInstant();
        return d == null ? null : d.toInstant();
    }

    private static Instant upper(DateRangeParam range) {
        Date d = range == null ? null : range.getUpperBoundAsInstant();
        return d == null ? null : d.toInstant();
    }
}
