package org.clinloop.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.IValidationContext;
import ca.uhn.fhir.validation.ValidationContext;
import ca.uhn.fhir.validation.ValidationOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.validator.WorkerContextValidationSupportAdapter;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.hl7.fhir.utilities.OIDUtilities;
import org.hl7.fhir.utilities.http.ManagedWebAccess;
import org.hl7.fhir.utilities.i18n.I18nConstants;
import org.hl7.fhir.utilities.validation.ValidationMessage;

/**
 * Structure and profile conformance of a submitted resource, by HAPI's instance validator
 * (the HL7 reference validator), entirely offline: the base R4 definitions, value sets and
 * vital-signs profiles come from {@code hapi-fhir-validation-resources-r4} on the class path,
 * UCUM, BCP-47 languages, ISO countries and currencies from {@link CommonCodeSystemsTerminologyService};
 * nothing is fetched over the network (the validator has no resource fetcher, no remote
 * terminology service, and web access of the FHIR core library is {@linkplain
 * ManagedWebAccess.WebAccessPolicy#PROHIBITED prohibited}).
 *
 * <p>What is checked, and how findings are graded:
 * <ul>
 *   <li>Every resource against its base R4 definition: cardinality, data types, invariants
 *       (e.g. {@code obs-6}), fixed values and required bindings to code systems that R4 itself
 *       defines (a Patient {@code gender} outside administrative-gender is an error).</li>
 *   <li>An Observation whose LOINC code is a vital sign ClinLoop accepts is also validated against
 *       the matching R4 vital-signs profile ({@link #VITAL_SIGN_PROFILES}), whether or not
 *       {@code meta.profile} claims it: R4 says vital signs SHALL conform to it. Steps and the
 *       laboratory kinds have no R4 profile and are checked against the base only.</li>
 *   <li>A {@code meta.profile} this server does not know (US Core, say) is a warning naming the
 *       profile, never an error: the resource is still validated against what the server knows.</li>
 *   <li>Codes from code systems that are not distributed with R4 (LOINC, SNOMED CT, RxNorm …)
 *       cannot be checked offline; that the validator could not check them is not reported. A
 *       code system nobody has heard of is a warning.</li>
 * </ul>
 * Informational messages are dropped. Bundles are refused: a caller checks each entry (the
 * vital-signs profiles apply to top-level Observations, and {@link InputProblem} expressions start
 * at the entry's resource type, to be prefixed like the transaction's other problems).
 *
 * <p>The service should parse with its strict parser first: an unknown element, a JSON value of the
 * wrong type or an invalid code cannot be held by the HAPI model, so the parser refuses them (400)
 * and a lenient parser silently drops them. Only when the parsed resource carries the text it was
 * parsed from ({@code FhirContext#setStoreRawJson}) does the validator check that text instead.
 *
 * <p>The validator is built once, eagerly, in the constructor: that is cheap (about 0.1 s, no
 * definitions read) and leaves nothing to initialise lazily across threads. The definitions are
 * read, converted to the validator's R5 form and cached on the first check (several seconds and
 * about 200 MB of heap), so the service should call {@link #warmUp()} at start-up. An instance is
 * thread-safe: the support chain caches in concurrent caches, and every check runs its own
 * short-lived reference validator. Building that validator parses the FHIR core library's 1.5 MB
 * {@code oidregistry.csv} each time (about 10 of the 11 ms a check costs); the WAR shadows the file with an empty
 * one (service {@code src/main/resources}), which {@link #warmUp()} reports.
 *
 * <p>An Observation whose shape ({@link ConformingShapes}: its JSON with ids, identifiers,
 * references, times and values masked where their form cannot matter) was already validated clean
 * is answered clean without validating it again; anything that has a finding is validated in full
 * every time. {@link #reuse()} counts both.
 */
@ApplicationScoped
public class ProfileCheck {

    private static final Logger LOG = Logger.getLogger(ProfileCheck.class.getName());

    /** The R4 vital-signs profile each accepted vital-sign LOINC code must conform to. */
    static final Map<String, String> VITAL_SIGN_PROFILES = Map.of(
            "85354-9", "http://hl7.org/fhir/StructureDefinition/bp",
            "8867-4", "http://hl7.org/fhir/StructureDefinition/heartrate",
            "29463-7", "http://hl7.org/fhir/StructureDefinition/bodyweight",
            "59408-5", "http://hl7.org/fhir/StructureDefinition/oxygensat",
            "2708-6", "http://hl7.org/fhir/StructureDefinition/oxygensat");

    /**
     * Code systems that exist but are not distributed with R4, so cannot be checked offline. The
     * validator's "could not check" about them is dropped; the checks ClinLoop needs on these codes
     * (the accepted LOINC codes, SNOMED pregnancy status) are in {@link ObservationRules}.
     */
    static final Set<String> EXTERNAL_CODE_SYSTEMS = Set.of(
            "http://loinc.org",
            "http://snomed.info/sct",
            "http://www.nlm.nih.gov/research/umls/rxnorm",
            "http://hl7.org/fhir/sid/icd-10",
            "http://hl7.org/fhir/sid/icd-10-cm",
            "http://hl7.org/fhir/sid/cvx",
            "http://hl7.org/fhir/sid/ndc",
            "urn:oid:2.16.840.1.113883.6.238");

    /** The validator's messages about a meta.profile it cannot resolve; replaced by ours. */
    private static final Set<String> UNKNOWN_PROFILE_IDS = Set.of(
            I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN,
            I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_NOT_POLICY,
            I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_ERROR,
            I18nConstants.VALIDATION_VAL_PROFILE_UNKNOWN_ERROR_NETWORK);

    /** The validator's messages that a code system is unknown or not usable here. */
    private static final Set<String> UNKNOWN_SYSTEM_IDS = Set.of(
            I18nConstants.UNKNOWN_CODESYSTEM,
            I18nConstants.UNKNOWN_CODESYSTEM_VERSION,
            I18nConstants.UNKNOWN_CODESYSTEM_VERSION_NONE,
            I18nConstants.UNKNOWN_CODESYSTEM_EXP,
            I18nConstants.TERMINOLOGY_TX_SYSTEM_UNKNOWN,
            I18nConstants.TERMINOLOGY_TX_SYSTEM_NOT_USABLE,
            I18nConstants.TERMINOLOGY_TX_SYSTEM_UNSUPPORTED);

    /** HAPI's in-memory terminology service saying so (its messages are English, with no message id of their own). */
    private static final Pattern UNKNOWN_SYSTEM_TEXT = Pattern.compile("^CodeSystem is unknown and can't be validated: ");

    /**
     * HAPI's common code systems service answering "is this language code in the value set?" with
     * an error, whatever the binding's strength ({@code Patient.communication.language} is bound to
     * the short Common Languages value set only as <em>preferred</em>: "vi" is a valid BCP-47 code
     * outside it). Value-set membership is judged by the validator's own binding message, graded by
     * strength, so this echo is dropped. Code validity ("Unknown code …") is a different message.
     */
    private static final Pattern NOT_IN_VALUE_SET_TEXT = Pattern.compile("^Code \".*\" is not in valueset: ");
    private static final String PASS_THROUGH = I18nConstants.TERMINOLOGY_PASSTHROUGH_TX_MESSAGE;

    /** The minimum-cardinality messages, which the validator places on the parent of what is missing. */
    private static final String MINIMUM = "Validation_VAL_Profile_Minimum";
    private static final String MINIMUM_SLICE = "Validation_VAL_Profile_Minimum_SLICE";
    /** {@code Observation.component:SystolicBP.value[x].unit: minimum required …} or {@code Slice 'Observation.category:VSCat': …}. */
    private static final Pattern MISSING_ELEMENT = Pattern.compile("^(?:Slice ')?[A-Z]\\w*(?:\\.[\\w\\[\\]:-]+)*\\.(\\w+)(?:\\[x\\])?(?::[\\w-]+)?'?:");

    /** The JSON reader's word for an element the definition does not have (placed on its parent). */
    private static final Pattern UNRECOGNIZED = Pattern.compile("^Unrecognized property '(\\w+)'");

    /** {@code .value.ofType(Quantity)} in the validator's paths, written {@code .valueQuantity}. */
    private static final Pattern OF_TYPE = Pattern.compile("\\.(\\w+)\\.ofType\\((\\w)(\\w*)\\)");

    /**
     * What the validator found.
     *
     * @param errors   what makes the resource non-conformant; empty when it conforms
     * @param warnings what the sender should know but does not stop the resource being accepted
     */
    public record ProfileReport(List<InputProblem> errors, List<InputProblem> warnings) {
        public ProfileReport {
            errors = List.copyOf(errors);
            warnings = List.copyOf(warnings);
        }

        public boolean ok() {
            return errors.isEmpty();
        }
    }

    /**
     * Whether a finding is at, inside or around an element one of {@code reported} already names:
     * where ClinLoop's own checks refused an element, they said it first, in ClinLoop's words, and
     * the validator's finding would only repeat it.
     */
    public static boolean repeats(InputProblem finding, List<InputProblem> reported) {
        if (finding.expression() == null) {
            return false;
        }
        String at = withoutIndexes(finding.expression());
        for (InputProblem q : reported) {
            String ours = q.expression() == null ? null : withoutIndexes(q.expression());
            if (ours != null && (at.startsWith(ours) || ours.startsWith(at))) {
                return true;
            }
        }
        return false;
    }

    private static String withoutIndexes(String expression) {
        return expression.replaceAll("\\[\\d+]", "");
    }

    /** How many shapes of clean Observations are remembered ({@link ConformingShapes}). */
    static final int SHAPES = 10_000;
    private static final ProfileReport CLEAN = new ProfileReport(List.of(), List.of());

    private final FhirContext fhir;
    private final ValidationSupportChain support;
    private final ReferenceValidator validator;
    private final ConformingShapes shapes;

    /** A check over the shared R4 context (the constructor CDI uses). */
    public ProfileCheck() {
        this(FhirContext.forR4Cached());
    }

    public ProfileCheck(FhirContext fhir) {
        this(fhir, SHAPES);
    }

    /** A check that remembers up to {@code shapes} shapes of clean Observations (0: validates every one in full). */
    ProfileCheck(FhirContext fhir, int shapes) {
        if (fhir.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("expected an R4 FhirContext, found " + fhir.getVersion().getVersion());
        }
        // No part of the FHIR core library may reach the web (packages, terminology, profiles):
        // everything it needs is on the class path. The policy is per class loader, i.e. per WAR.
        ManagedWebAccess.setAccessPolicy(ManagedWebAccess.WebAccessPolicy.PROHIBITED);
        this.fhir = fhir;
        this.shapes = new ConformingShapes(shapes);
        this.support = new ValidationSupportChain(
                new DefaultProfileValidationSupport(fhir),
                new CommonCodeSystemsTerminologyService(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir),
                new SnapshotGeneratingValidationSupport(fhir));
        this.validator = new ReferenceValidator(support);
        // Built here, not on first use (FhirInstanceValidator's lazy build is unsynchronized).
        validator.setWrappedWorkerContext(support, new EnglishWorkerContext(support));
        // Extensions from profiles this server does not have (US Core race, ethnicity …) are
        // allowed; their profiles' claims are reported by check() itself, once each; best-practice
        // advice (dom-6 "should have narrative" and the like) is not something to bounce readings
        // for. None of the three changes the cost of a check measurably.
        validator.setAnyExtensionsAllowed(true);
        validator.setErrorForUnknownProfiles(false);
        validator.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
    }

    /** The validation supports consulted, in order (all local). */
    List<IValidationSupport> supports() {
        return List.copyOf(support.getValidationSupports());
    }

    /** Whether the validator may fetch what it cannot find locally (never: there is no fetcher). */
    boolean fetchesRemotely() {
        return validator.getValidatorResourceFetcher() != null;
    }

    /**
     * Validates {@code resource}, an R4 resource other than a Bundle, against its base definition
     * and the profiles that apply to it.
     */
    public ProfileReport check(IBaseResource resource) {
        Objects.requireNonNull(resource, "A resource is required.");
        if (!(resource instanceof Resource r4)) {
            throw new IllegalArgumentException("expected an R4 resource, found " + resource.getClass().getName());
        }
        if (r4 instanceof Bundle) {
            throw new IllegalArgumentException("expected a resource other than a Bundle (check each entry), found a Bundle");
        }
        String vitalSign = vitalSignProfile(r4);
        ValidationOptions options = new ValidationOptions();
        if (vitalSign != null && !r4.getMeta().hasProfile(vitalSign)) {
            options.addProfile(vitalSign); // when claimed, the validator applies it already
        }
        IValidationContext<IBaseResource> context = ValidationContext.forResource(fhir, resource, options);
        String shape = r4 instanceof Observation ? ConformingShapes.shapeOf(context.getResourceAsString()) : null;
        if (shape != null && shapes.conforms(shape)) {
            return CLEAN; // a reading of this shape was validated in full and found clean
        }
        List<ValidationMessage> messages;
        try {
            messages = validator.messages(context);
        } catch (RuntimeException failure) {
            // The validator is third-party code reading hostile input (the fuzz test found a UCUM
            // code it parses as a number and throws on). What cannot be validated is not accepted.
            LOG.log(java.util.logging.Level.WARNING, "The R4 validator failed on a " + r4.fhirType(), failure);
            String why = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            return new ProfileReport(List.of(new InputProblem(r4.fhirType(), "processing",
                    "expected a resource the R4 validator can check, found one it failed on (" + why + ")")), List.of());
        }

        Set<InputProblem> errors = new LinkedHashSet<>();
        Set<InputProblem> warnings = new LinkedHashSet<>(unknownProfiles(r4, vitalSign));
        for (ValidationMessage m : messages) {
            String text = Objects.requireNonNullElse(m.getMessage(), "");
            String id = Objects.requireNonNullElse(m.getMessageId(), "");
            if (m.getLevel() == null || UNKNOWN_PROFILE_IDS.contains(id)
                    || PASS_THROUGH.equals(id) && NOT_IN_VALUE_SET_TEXT.matcher(text).find()) {
                continue;
            }
            boolean unknownSystem = UNKNOWN_SYSTEM_IDS.contains(id) || UNKNOWN_SYSTEM_TEXT.matcher(text).find();
            if (unknownSystem && EXTERNAL_CODE_SYSTEMS.stream().anyMatch(text::contains)) {
                continue;
            }
            InputProblem p = new InputProblem(expression(m, r4.fhirType()),
                    m.getType() == null ? "processing" : m.getType().toCode(), text);
            switch (m.getLevel()) {
                case FATAL, ERROR -> (unknownSystem ? warnings : errors).add(p);
                case WARNING -> warnings.add(p);
                default -> {
                    // information: not reported
                }
            }
        }
        if (shape != null && errors.isEmpty() && warnings.isEmpty()) {
            shapes.remember(shape);
        }
        return new ProfileReport(List.copyOf(errors), List.copyOf(warnings));
    }

    /** Checks answered from a remembered shape, and checks validated in full, since start (Observations only). */
    public Reuse reuse() {
        return new Reuse(shapes.hits(), shapes.misses());
    }

    /** How often an Observation's shape was found among the clean ones. */
    public record Reuse(long reused, long validated) {
    }

    /** A warning for each meta.profile this server does not know, naming what was applied instead. */
    private List<InputProblem> unknownProfiles(Resource r4, String vitalSign) {
        List<CanonicalType> claimed = r4.getMeta().getProfile();
        List<String> applied = new ArrayList<>();
        List<Integer> unknown = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            String url = claimed.get(i).getValue();
            if (url != null && support.fetchStructureDefinition(url) == null) {
                unknown.add(i);
            } else if (url != null && !url.equals(vitalSign)) {
                applied.add(url);
            }
        }
        if (vitalSign != null) {
            applied.add(0, vitalSign);
        }
        String against = "base R4" + (applied.isEmpty() ? "" : " and " + String.join(", ", applied));
        return unknown.stream().map(i -> new InputProblem(r4.fhirType() + ".meta.profile[" + i + "]", "not-supported",
                "profile " + claimed.get(i).getValue() + " is not known to this server; validated against " + against
                        + " only")).toList();
    }

    /**
     * Reads and prepares the definitions by checking a small blood-pressure panel, so that the
     * first request does not pay for it. Idempotent; safe to call while other threads check.
     */
    public void warmUp() {
        long start = System.nanoTime();
        Observation bp = new Observation();
        bp.setStatus(Observation.ObservationStatus.FINAL);
        bp.addCategory().addCoding(new Coding(ObservationRules.CATEGORY_SYSTEM, "vital-signs", null));
        bp.getCode().addCoding(new Coding(ObservationRules.LOINC, ObservationRules.BP_PANEL, null));
        bp.getSubject().setReference("Patient/warm-up");
        bp.setEffective(new DateTimeType("2026-01-01T00:00:00Z"));
        for (String code : List.of(ObservationRules.SYSTOLIC, ObservationRules.DIASTOLIC)) {
            bp.addComponent().setCode(new CodeableConcept(new Coding(ObservationRules.LOINC, code, null)))
                    .setValue(new Quantity(120).setSystem(ObservationRules.UCUM).setCode(ObservationRules.MM_HG)
                            .setUnit(ObservationRules.MM_HG));
        }
        check(bp);
        LOG.info(() -> String.format(Locale.ROOT, "profile validation ready in %d ms (OID registry %s)",
                (System.nanoTime() - start) / 1_000_000, oidRegistry()));
    }

    /** Which oidregistry.csv the reference validator re-reads on every check: the library's, or the WAR's empty one. */
    private static String oidRegistry() {
        try (InputStream in = OIDUtilities.class.getClassLoader().getResourceAsStream("oidregistry.csv")) {
            long size = in == null ? 0 : in.transferTo(OutputStream.nullOutputStream());
            return size > 64 * 1024 ? "of the FHIR core library, " + size + " bytes, parsed on every check" : "shadowed";
        } catch (IOException e) {
            return "unreadable: " + e;
        }
    }

    /** The vital-signs profile an Observation must conform to, or null. */
    static String vitalSignProfile(Resource resource) {
        if (resource instanceof Observation obs) {
            for (Coding c : obs.getCode().getCoding()) {
                if (ObservationRules.LOINC.equals(c.getSystem()) && c.getCode() != null
                        && VITAL_SIGN_PROFILES.containsKey(c.getCode())) {
                    return VITAL_SIGN_PROFILES.get(c.getCode());
                }
            }
        }
        return null;
    }

    /**
     * Where the problem is, as a FHIRPath from the resource type: the validator's location with
     * {@code .value.ofType(Quantity)} written {@code .valueQuantity}, and for a missing or unknown
     * element the element itself ({@code Observation.category}) rather than its parent ({@code Observation}).
     */
    static String expression(ValidationMessage m, String resourceType) {
        String location = m.getLocation();
        if (location == null || location.isBlank()) {
            return resourceType;
        }
        Matcher t = OF_TYPE.matcher(location);
        StringBuilder sb = new StringBuilder();
        while (t.find()) {
            t.appendReplacement(sb, Matcher.quoteReplacement("." + t.group(1) + t.group(2).toUpperCase(Locale.ROOT)
                    + t.group(3)));
        }
        t.appendTail(sb);
        String text = Objects.requireNonNullElse(m.getMessage(), "");
        Matcher element = MINIMUM.equals(m.getMessageId()) || MINIMUM_SLICE.equals(m.getMessageId())
                ? MISSING_ELEMENT.matcher(text) : UNRECOGNIZED.matcher(text);
        if (element.find()) {
            sb.append('.').append(element.group(1));
        }
        return sb.toString();
    }

    /** HAPI's bridge to the reference validator, keeping each message's issue type (HAPI's own result drops it). */
    private static final class ReferenceValidator extends FhirInstanceValidator {
        ReferenceValidator(IValidationSupport support) {
            super(support);
        }

        List<ValidationMessage> messages(IValidationContext<?> context) {
            return validate(context);
        }
    }

    /**
     * The validator's view of the definitions, with its messages in English (the base bundle)
     * whatever the server's default locale: they go into OperationOutcomes and the audit log next
     * to ClinLoop's own English messages, and must not change with the machine they run on.
     */
    private static final class EnglishWorkerContext extends WorkerContextValidationSupportAdapter {
        @SuppressWarnings("deprecation") // the only way in 6.7.9; setLocale is a no-op in this adapter
        EnglishWorkerContext(IValidationSupport support) {
            super(support);
            setValidationMessageLanguage(Locale.ROOT);
        }

        @Override
        public Locale getLocale() {
            return Locale.ENGLISH;
        }
    }
}
