package org.clinloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.LenientErrorHandler;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.common.hapi.validation.support.RemoteTerminologyServiceValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.utilities.http.ManagedWebAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ProfileCheck} with the real HAPI validator and the definitions on the class path. One
 * instance is shared by the tests (it is built to be shared; warming it up takes seconds).
 */
class ProfileCheckTest {

    static final ProfileCheck CHECK = new ProfileCheck();
    static final String US_CORE_BP = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure";
    static final FhirContext RAW_TEXT_CONTEXT = FhirContext.forR4();

    static {
        RAW_TEXT_CONTEXT.setStoreRawJson(true);
    }

    @BeforeAll
    static void warmUp() {
        CHECK.warmUp();
    }

    /** A blood-pressure panel as a gateway should send it: conforms to base R4 and the vital-signs bp profile. */
    static Observation bp() {
        Observation o = ObservationRulesTest.bp(150, 95, ObservationRules.MM_HG);
        o.getComponent().forEach(c -> c.getValueQuantity().setUnit("mmHg"));
        return o;
    }

    @Test
    void aValidBloodPressurePanelHasNoErrorsAndNothingToSayAboutLoinc() {
        ProfileCheck.ProfileReport report = CHECK.check(bp());

        assertThat(report.ok()).isTrue();
        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).as("LOINC cannot be checked offline; that is not news").isEmpty();
    }

    @Test
    void aPanelWithoutSystolicFailsNamingTheComponent() {
        Observation o = bp();
        o.getComponent().remove(0);

        ProfileCheck.ProfileReport report = CHECK.check(o);

        assertThat(report.ok()).isFalse();
        assertThat(report.errors()).anySatisfy(p -> {
            assertThat(p.expression()).isEqualTo("Observation.component");
            assertThat(p.code()).isEqualTo("structure");
            assertThat(p.message()).contains("SystolicBP").contains("http://hl7.org/fhir/StructureDefinition/bp");
        });
    }

    @Test
    void aPanelWithoutCategoryFailsNamingTheCategory() {
        Observation o = bp();
        o.getCategory().clear();

        assertThat(CHECK.check(o).errors()).anySatisfy(p -> {
            assertThat(p.expression()).isEqualTo("Observation.category");
            assertThat(p.code()).isEqualTo("structure");
            assertThat(p.message()).contains("minimum required = 1");
        });
    }

    @Test
    void vitalSignsProfilesApplyWithoutBeingClaimedAndStepsOnlyMeetTheBase() {
        Observation noUnit = bp();
        noUnit.getComponentFirstRep().getValueQuantity().setUnit(null);
        assertThat(noUnit.getMeta().getProfile()).isEmpty();
        assertThat(CHECK.check(noUnit).errors()).singleElement().satisfies(p -> {
            assertThat(p.expression()).isEqualTo("Observation.component[0].valueQuantity.unit");
            assertThat(p.message()).contains("StructureDefinition/bp");
        });

        Observation heartRate = ObservationRulesTest.quantity("8867-4", null, 72, "/min");
        heartRate.getValueQuantity().setUnit("beats/minute");
        assertThat(CHECK.check(heartRate).errors())
                .extracting(InputProblem::expression).contains("Observation.category");

        Observation steps = ObservationRulesTest.quantity("41950-7", null, 8000, "/d");
        assertThat(CHECK.check(steps).errors()).as("no R4 profile for steps: base only").isEmpty();
    }

    @Test
    void aWrongUcumUnitIsAnErrorCheckedOffline() {
        Observation o = bp();
        o.getComponentFirstRep().getValueQuantity().setCode("mmHg");

        assertThat(CHECK.check(o).errors()).extracting(InputProblem::expression, InputProblem::code)
                .contains(tuple("Observation.component[0].valueQuantity", "code-invalid"),
                        tuple("Observation.component[0].valueQuantity.code", "value"));
    }

    @Test
    void anUnknownProfileClaimIsOneWarningNamingItNeverAnError() {
        Observation o = bp();
        o.getMeta().addProfile(US_CORE_BP);

        ProfileCheck.ProfileReport report = CHECK.check(o);

        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).singleElement().satisfies(p -> {
            assertThat(p.expression()).isEqualTo("Observation.meta.profile[0]");
            assertThat(p.code()).isEqualTo("not-supported");
            assertThat(p.message()).isEqualTo("profile " + US_CORE_BP + " is not known to this server; validated"
                    + " against base R4 and http://hl7.org/fhir/StructureDefinition/bp only");
        });
    }

    @Test
    void claimingTheVitalSignsProfileChangesNothing() {
        Observation claimed = bp();
        claimed.getMeta().addProfile("http://hl7.org/fhir/StructureDefinition/bp");
        assertThat(CHECK.check(claimed).warnings()).isEmpty();

        Observation unclaimed = bp();
        unclaimed.getCategory().clear();
        claimed.getCategory().clear();
        assertThat(CHECK.check(claimed)).isEqualTo(CHECK.check(unclaimed));
        assertThat(CHECK.check(claimed).errors()).isNotEmpty();
    }

    @Test
    void aCodeFromAnUnheardOfSystemIsAWarning() {
        Observation o = bp();
        o.getCode().addCoding().setSystem("http://example.org/our-codes").setCode("bp");

        ProfileCheck.ProfileReport report = CHECK.check(o);

        assertThat(report.errors()).isEmpty();
        assertThat(report.warnings()).anySatisfy(p -> {
            assertThat(p.expression()).isEqualTo("Observation.code");
            assertThat(p.message()).contains("http://example.org/our-codes");
        });
    }

    /**
     * The service parses with a strict parser, which refuses an invalid code (400) before
     * ProfileCheck is reached. A lenient parser keeps it in the model, and the validator names it.
     */
    /** Found by FuzzIT: HAPI's UCUM lookup throws NumberFormatException on an all-digit 18-digit code. */
    @Test
    void inputTheValidatorFailsOnIsRefusedNotThrown() {
        org.hl7.fhir.r4.model.Observation hr = new org.hl7.fhir.r4.model.Observation();
        hr.setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL);
        hr.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("vital-signs");
        hr.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        hr.getSubject().setReference("Patient/p1");
        hr.setEffective(new org.hl7.fhir.r4.model.DateTimeType("2026-11-01T08:00:00Z"));
        hr.setValue(new org.hl7.fhir.r4.model.Quantity().setValue(72).setUnit("x")
                .setSystem("http://unitsofmeasure.org").setCode("766168158654081008"));

        ProfileCheck.ProfileReport report = CHECK.check(hr);

        assertThat(report.ok()).isFalse();
        assertThat(report.errors()).isNotEmpty();
    }

    @Test
    void anInvalidGenderIsAnError() {
        String json = "{\"resourceType\":\"Patient\",\"gender\":\"robot\"}";
        assertThatThrownBy(() -> strictParser().parseResource(Patient.class, json))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("robot");

        ProfileCheck.ProfileReport report = CHECK.check(lenientParser(false).parseResource(Patient.class, json));

        assertThat(report.errors()).anySatisfy(p -> {
            assertThat(p.expression()).isEqualTo("Patient.gender");
            assertThat(p.code()).isEqualTo("code-invalid");
            assertThat(p.message()).contains("robot").contains("administrative-gender");
        });
    }

    /**
     * An unknown element or a JSON value of the wrong type cannot be held by the model: a strict
     * parser refuses them, a lenient one drops them. Only when the parser keeps the text it read
     * ({@code FhirContext#setStoreRawJson}) does ProfileCheck validate that text and name them.
     */
    @Test
    void anUnknownElementAndAWrongTypeAreErrorsOnlyWhenTheSentTextIsKept() {
        String json = "{\"resourceType\":\"Patient\",\"active\":\"yes\",\"nickname\":\"Al\"}";
        assertThatThrownBy(() -> strictParser().parseResource(Patient.class, json))
                .isInstanceOf(DataFormatException.class);

        Patient kept = lenientParser(true).parseResource(Patient.class, json);
        assertThat(CHECK.check(kept).errors()).extracting(InputProblem::expression, InputProblem::code)
                .contains(tuple("Patient.nickname", "structure"), tuple("Patient.active", "invalid"));

        Patient dropped = lenientParser(false).parseResource(Patient.class, json);
        assertThat(dropped.getActiveElement().getValue()).isNull();
        assertThat(CHECK.check(dropped).errors()).as("nothing left to find").isEmpty();
    }

    @Test
    void aBrokenInvariantIsNamed() {
        Observation o = ObservationRulesTest.quantity("41950-7", "activity", 8000, "/d");
        o.getDataAbsentReason().setText("watch not worn");

        assertThat(CHECK.check(o).errors()).anySatisfy(p -> {
            assertThat(p.expression()).isEqualTo("Observation");
            assertThat(p.code()).isEqualTo("invariant");
            assertThat(p.message()).contains("obs-6");
        });
    }

    @Test
    void syntheaPatientsAndBloodPressuresPassWithUrnUuidReferences() throws IOException {
        List<IBaseResource> resources = synthea();
        assertThat(resources).hasSize(16);

        for (IBaseResource r : resources) {
            ProfileCheck.ProfileReport report = CHECK.check(r);
            assertThat(report.errors()).as(r.fhirType() + "/" + r.getIdElement().getIdPart()).isEmpty();
            assertThat(report.warnings()).extracting(InputProblem::expression)
                    .contains(r.fhirType() + ".meta.profile[0]");
        }
        Observation first = (Observation) resources.get(1);
        assertThat(first.getSubject().getReference()).startsWith("urn:uuid:");
    }

    @Test
    void onlyLocalSupportsAndNoNetworkEvenColdWithABogusProxy() {
        assertThat(CHECK.supports()).extracting(s -> s.getClass().getSimpleName()).containsExactly(
                "DefaultProfileValidationSupport", "CommonCodeSystemsTerminologyService",
                "InMemoryTerminologyServerValidationSupport", "SnapshotGeneratingValidationSupport");
        assertThat(CHECK.supports()).noneMatch(s -> s instanceof RemoteTerminologyServiceValidationSupport);
        assertThat(CHECK.fetchesRemotely()).isFalse();
        assertThat(ManagedWebAccess.getAccessPolicy()).isEqualTo(ManagedWebAccess.WebAccessPolicy.PROHIBITED);

        List<URI> asked = Collections.synchronizedList(new ArrayList<>());
        ProxySelector before = ProxySelector.getDefault();
        String[] keys = {"http.proxyHost", "http.proxyPort", "https.proxyHost", "https.proxyPort"};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) {
            saved[i] = System.getProperty(keys[i]);
        }
        try {
            ProxySelector.setDefault(new ProxySelector() {
                @Override
                public List<Proxy> select(URI uri) {
                    asked.add(uri);
                    return List.of(Proxy.NO_PROXY);
                }

                @Override
                public void connectFailed(URI uri, SocketAddress sa, IOException e) {
                }
            });
            System.setProperty("http.proxyHost", "192.0.2.1");
            System.setProperty("http.proxyPort", "9");
            System.setProperty("https.proxyHost", "192.0.2.1");
            System.setProperty("https.proxyPort", "9");

            // A new context: definitions read cold, nothing cached from the other tests.
            ProfileCheck cold = new ProfileCheck(FhirContext.forR4());
            Observation o = bp();
            o.getMeta().addProfile(US_CORE_BP);
            o.getCode().addCoding().setSystem("http://example.org/our-codes").setCode("bp");
            ProfileCheck.ProfileReport report = cold.check(o);

            assertThat(report.errors()).isEmpty();
            assertThat(report.warnings()).extracting(InputProblem::expression)
                    .contains("Observation.meta.profile[0]", "Observation.code");
            assertThat(asked).as("URIs anything tried to open").isEmpty();
        } finally {
            ProxySelector.setDefault(before);
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) {
                    System.clearProperty(keys[i]);
                } else {
                    System.setProperty(keys[i], saved[i]);
                }
            }
        }
    }

    /**
     * Four threads start on a cold instance together (lazy loading races) and must agree with the
     * warm one, messages included, although the cold one runs on a machine whose default locale is
     * German (the validator has German messages and would otherwise use them).
     */
    @Test
    void concurrentChecksFromColdAgreeWithSequentialOnesWhateverTheLocale() throws Exception {
        List<IBaseResource> inputs = new ArrayList<>(synthea());
        Observation noCategory = bp();
        noCategory.getCategory().clear();
        inputs.add(noCategory);
        Observation wrongUnit = bp();
        wrongUnit.getComponentFirstRep().setValue(new Quantity(150).setSystem(ObservationRules.UCUM).setCode("mmHg"));
        inputs.add(wrongUnit);
        List<ProfileCheck.ProfileReport> expected = inputs.stream().map(CHECK::check).toList();

        Locale before = Locale.getDefault();
        Locale.setDefault(Locale.GERMANY);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            ProfileCheck cold = new ProfileCheck(FhirContext.forR4());
            CountDownLatch start = new CountDownLatch(1);
            List<Future<List<ProfileCheck.ProfileReport>>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int offset = t;
                runs.add(pool.submit(() -> {
                    start.await();
                    ProfileCheck.ProfileReport[] got = new ProfileCheck.ProfileReport[inputs.size()];
                    for (int round = 0; round < 3; round++) {
                        for (int i = 0; i < inputs.size(); i++) {
                            int k = (i + offset) % inputs.size();
                            got[k] = cold.check(inputs.get(k));
                        }
                    }
                    return List.of(got);
                }));
            }
            start.countDown();
            for (Future<List<ProfileCheck.ProfileReport>> run : runs) {
                assertThat(run.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
            Locale.setDefault(before);
        }
    }

    @Test
    void aBundleIsRefusedItsEntriesAreChecked() {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        bundle.addEntry().setResource(bp());

        assertThatThrownBy(() -> CHECK.check(bundle)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("each entry");
        assertThat(CHECK.check(bundle.getEntryFirstRep().getResource()).ok()).isTrue();
    }

    @Test
    void aResourceIsRequired() {
        assertThatThrownBy(() -> CHECK.check(null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("resource");
    }

    static IParser strictParser() {
        return FhirContext.forR4Cached().newJsonParser().setParserErrorHandler(new StrictErrorHandler());
    }

    /** A lenient parser; with {@code keepText} it keeps the text it read on the resource, which the validator then checks. */
    static IParser lenientParser(boolean keepText) {
        FhirContext ctx = keepText ? RAW_TEXT_CONTEXT : FhirContext.forR4Cached();
        return ctx.newJsonParser().setParserErrorHandler(new LenientErrorHandler(false).setErrorOnInvalidValue(false));
    }

    /** The Patient and first blood-pressure Observation of each of the 8 Synthea bundles in the tests module. */
    static List<IBaseResource> synthea() throws IOException {
        try (InputStream in = ProfileCheckTest.class.getResourceAsStream("/synthea/patients-and-first-bp.ndjson")) {
            IParser parser = strictParser();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .<IBaseResource>map(parser::parseResource).toList();
        }
    }
}
