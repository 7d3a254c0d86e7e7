package org.clinloop.ingest;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r5.utils.validation.constants.BestPracticeWarningLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What {@link ProfileCheck} costs: construction, warm-up (the first check), the time per check
 * once warm, and the heap the warmed validator holds. It prints; it asserts nothing (timings
 * depend on the machine). Run alone, in its own JVM:
 * {@code mvn -pl fhir-ingest -am test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=ProfileCheckCostTest -Dclinloop.cost=true}.
 */
@EnabledIfSystemProperty(named = "clinloop.cost", matches = "true")
class ProfileCheckCostTest {

    static final int N = 2_000;

    @Test
    void cost() throws Exception {
        // The service has its R4 context already: build and scan it before measuring.
        FhirContext r4 = FhirContext.forR4();
        r4.getResourceTypes().forEach(r4::getResourceDefinition);
        long heap0 = usedHeapAfterGc();
        long t0 = System.nanoTime();
        ProfileCheck check = new ProfileCheck(r4);
        long t1 = System.nanoTime();
        check.warmUp();
        long t2 = System.nanoTime();
        long heap1 = usedHeapAfterGc();
        print("construct %.0f ms, warm-up (first check) %.0f ms, heap retained %.0f MB; OID registry read per check: %s",
                ms(t1 - t0), ms(t2 - t1), (heap1 - heap0) / 1e6, oidRegistrySize() > 10_000 ? "full" : "empty (shadowed)");

        Observation bp = ProfileCheckTest.bp();
        Patient patient = (Patient) ProfileCheckTest.synthea().get(0);
        Observation syntheaBp = (Observation) ProfileCheckTest.synthea().get(1);
        times("ProfileCheck, BP panel", () -> check.check(bp));
        times("ProfileCheck, Synthea BP (US Core claim)", () -> check.check(syntheaBp));
        times("ProfileCheck, Synthea Patient", () -> check.check(patient));

        // What the validator settings change, on the same offline chain, through HAPI's FhirValidator.
        FhirContext ctx = FhirContext.forR4();
        ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx), new InMemoryTerminologyServerValidationSupport(ctx),
                new SnapshotGeneratingValidationSupport(ctx));
        ValidationOptions bpProfile = new ValidationOptions().addProfile("http://hl7.org/fhir/StructureDefinition/bp");
        variant(ctx, chain, "as ProfileCheck", v -> { }, bp, bpProfile);
        variant(ctx, chain, "base only (no bp profile)", v -> { }, bp, new ValidationOptions());
        variant(ctx, chain, "no terminology checks", v -> v.setNoTerminologyChecks(true), bp, bpProfile);
        variant(ctx, chain, "best practice Ignore vs default", v -> v.setBestPracticeWarningLevel(
                BestPracticeWarningLevel.Warning), bp, bpProfile);
        variant(ctx, chain, "extensions must be known", v -> v.setAnyExtensionsAllowed(false), bp, bpProfile);
        times("ProfileCheck, BP panel, again (JIT settled)", () -> check.check(bp));
    }

    static void variant(FhirContext ctx, ValidationSupportChain chain, String name, Consumer<FhirInstanceValidator> tweak,
                        IBaseResource resource, ValidationOptions options) {
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        module.setAnyExtensionsAllowed(true);
        module.setErrorForUnknownProfiles(false);
        module.setBestPracticeWarningLevel(BestPracticeWarningLevel.Ignore);
        tweak.accept(module);
        FhirValidator validator = ctx.newValidator().registerValidatorModule(module);
        validator.validateWithResult(resource, options);
        times("FhirValidator, " + name, () -> validator.validateWithResult(resource, options));
    }

    static void times(String name, Supplier<?> work) {
        for (int i = 0; i < 200; i++) {
            work.get();
        }
        long[] ns = new long[N];
        for (int i = 0; i < N; i++) {
            long t = System.nanoTime();
            work.get();
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        print("%-45s median %.2f ms, p90 %.2f ms, p99 %.2f ms, mean %.2f ms (n=%d)", name, ms(ns[N / 2]),
                ms(ns[N * 9 / 10]), ms(ns[N * 99 / 100]), ms(Arrays.stream(ns).sum() / N), N);
    }

    /** Size of the oidregistry.csv the FHIR core library's OIDUtilities reads (on every check). */
    static long oidRegistrySize() throws java.io.IOException {
        try (var in = org.hl7.fhir.utilities.OIDUtilities.class.getClassLoader().getResourceAsStream("oidregistry.csv")) {
            return in == null ? 0 : in.readAllBytes().length;
        }
    }

    static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static double ms(long ns) {
        return ns / 1e6;
    }

    static void print(String format, Object... args) {
        System.out.println("[cost] " + String.format(Locale.ROOT, format, args));
    }
}
