package org.clinloop.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.clinloop.recommendation.BloodPressureReading;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;

/**
 * What a home blood-pressure Observation must look like before it may drive a decision: the
 * vital-signs BP panel (LOINC 85354-9) with systolic 8480-6 and diastolic 8462-4 components in
 * UCUM {@code mm[Hg]}, for a Patient, measured at a stated time that is not in the future, with
 * physiologically plausible values. Every problem is reported, each naming its element.
 */
public final class BloodPressureRules {

    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
    public static final String BP_PANEL = "85354-9";
    public static final String SYSTOLIC = "8480-6";
    public static final String DIASTOLIC = "8462-4";
    public static final String MM_HG = "mm[Hg]";
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    static final Set<String> USABLE_STATUS = Set.of("final", "amended", "corrected");

    /**
     * The outcome of checking one Observation.
     *
     * @param patientId the id in {@code subject}, or null
     * @param reading   the normalized reading, or null when there are problems
     * @param problems  everything wrong, empty when usable
     */
    public record Checked(String patientId, BloodPressureReading reading, List<InputProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private BloodPressureRules() {
    }

    /** Checks {@code obs}; {@code observationId} is the id it will be stored under. */
    public static Checked check(Observation obs, String observationId, Instant now) {
        List<InputProblem> problems = new ArrayList<>();
        String status = obs.hasStatus() ? obs.getStatus().toCode() : null;
        if (status == null || !USABLE_STATUS.contains(status)) {
            problems.add(new InputProblem("Observation.status", "value",
                    "expected status one of " + USABLE_STATUS + ", found " + status));
        }
        if (obs.getCategory().stream().noneMatch(c -> has(c, CATEGORY_SYSTEM, "vital-signs"))) {
            problems.add(new InputProblem("Observation.category", "required",
                    "expected category " + CATEGORY_SYSTEM + "|vital-signs, found " + codings(obs.getCategory())));
        }
        if (!has(obs.getCode(), LOINC, BP_PANEL)) {
            problems.add(new InputProblem("Observation.code", "value",
                    "expected code " + LOINC + "|" + BP_PANEL + " (blood pressure panel), found "
                            + codings(List.of(obs.getCode()))));
        }
        String patientId = patientId(obs, problems);
        Instant effective = null;
        if (!obs.hasEffectiveDateTimeType() || obs.getEffectiveDateTimeType().getValue() == null) {
            problems.add(new InputProblem("Observation.effective", "required",
                    "expected effectiveDateTime (when the reading was taken), found "
                            + (obs.hasEffective() ? obs.getEffective().fhirType() : "none")));
        } else {
            effective = obs.getEffectiveDateTimeType().getValue().toInstant();
            if (effective.isAfter(now.plus(CLOCK_SKEW))) {
                problems.add(new InputProblem("Observation.effective", "value",
                        "expected a time no later than " + now.plus(CLOCK_SKEW) + ", found " + effective));
            }
        }
        Double systolic = component(obs, SYSTOLIC, "systolic", 40, 300, problems);
        Double diastolic = component(obs, DIASTOLIC, "diastolic", 20, 200, problems);
        if (systolic != null && diastolic != null && diastolic >= systolic) {
            problems.add(new InputProblem("Observation.component", "value", String.format(Locale.ROOT,
                    "expected diastolic below systolic, found %s/%s mm[Hg]", fmt(systolic), fmt(diastolic))));
        }
        if (!problems.isEmpty()) {
            return new Checked(patientId, null, List.copyOf(problems));
        }
        return new Checked(patientId, new BloodPressureReading(observationId, effective, systolic, diastolic), List.of());
    }

    private static String patientId(Observation obs, List<InputProblem> problems) {
        String ref = obs.hasSubject() ? obs.getSubject().getReference() : null;
        if (ref == null || !ref.matches("Patient/[A-Za-z0-9\\-.]{1,64}")) {
            problems.add(new InputProblem("Observation.subject", "required",
                    "expected subject Patient/{id}, found " + (ref == null ? "none" : ref)));
            return null;
        }
        return ref.substring("Patient/".length());
    }

    private static Double component(Observation obs, String loinc, String name, double lo, double hi,
                                    List<InputProblem> problems) {
        List<Observation.ObservationComponentComponent> comps = obs.getComponent();
        for (int i = 0; i < comps.size(); i++) {
            if (!has(comps.get(i).getCode(), LOINC, loinc)) {
                continue;
            }
            String path = "Observation.component[" + i + "].valueQuantity";
            if (!comps.get(i).hasValueQuantity() || !comps.get(i).getValueQuantity().hasValue()) {
                problems.add(new InputProblem(path + ".value", "required",
                        "expected a " + name + " value in " + MM_HG + ", found none"));
                return null;
            }
            Quantity q = comps.get(i).getValueQuantity();
            if (!UCUM.equals(q.getSystem()) || !MM_HG.equals(q.getCode())) {
                String hint = "mmHg".equalsIgnoreCase(q.getCode()) || "mmHg".equalsIgnoreCase(q.getUnit())
                        ? " (UCUM writes millimetres of mercury as mm[Hg], with brackets)" : "";
                problems.add(new InputProblem(path + ".code", "value", "expected unit " + UCUM + "|" + MM_HG
                        + ", found " + q.getSystem() + "|" + q.getCode() + hint));
                return null;
            }
            double v = q.getValue().doubleValue();
            if (v < lo || v > hi) {
                problems.add(new InputProblem(path + ".value", "value", String.format(Locale.ROOT,
                        "expected %s between %s and %s mm[Hg], found %s", name, fmt(lo), fmt(hi), fmt(v))));
                return null;
            }
            return v;
        }
        problems.add(new InputProblem("Observation.component", "required",
                "expected a component with code " + LOINC + "|" + loinc + " (" + name + "), found none"));
        return null;
    }

    static boolean has(CodeableConcept concept, String system, String code) {
        return concept != null && concept.getCoding().stream()
                .anyMatch(c -> system.equals(c.getSystem()) && code.equals(c.getCode()));
    }

    private static String codings(List<CodeableConcept> concepts) {
        List<String> out = new ArrayList<>();
        for (CodeableConcept c : concepts) {
            for (Coding coding : c.getCoding()) {
                out.add(coding.getSystem() + "|" + coding.getCode());
            }
        }
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
