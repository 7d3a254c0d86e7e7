package org.clinloop.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.clinloop.recommendation.BloodPressureReading;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;

/**
 * What an Observation must look like before ClinLoop keeps it: one of the accepted kinds
 * ({@link ObservationKind}) by LOINC code, a usable status, the category vital signs need, a
 * Patient subject, a measurement time not in the future, values in UCUM units (converted when
 * commensurable, e.g. kPa → mm[Hg], [lb_av] → kg) within physiological ranges; for the blood
 * pressure panel, systolic 8480-6 and diastolic 8462-4 components with diastolic below systolic.
 * Every problem is reported, each naming its element, what was expected and what was found.
 */
public final class ObservationRules {

    public static final String LOINC = "http://loinc.org";
    public static final String UCUM = "http://unitsofmeasure.org";
    public static final String SNOMED = "http://snomed.info/sct";
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
     * @param kind        what it measures, or null when the code is not accepted
     * @param patientId   the id in {@code subject}, or null
     * @param reading     the normalized blood-pressure reading, or null
     * @param measurement the normalized other measurement, or null
     * @param problems    everything wrong, empty when usable
     */
    public record Checked(ObservationKind kind, String patientId, BloodPressureReading reading, Measurement measurement,
                          List<InputProblem> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ObservationRules() {
    }

    /** Checks {@code obs}; {@code observationId} is the id it will be stored under. */
    public static Checked check(Observation obs, String observationId, Instant now) {
        List<InputProblem> problems = new ArrayList<>();
        String status = obs.hasStatus() ? obs.getStatus().toCode() : null;
        if (status == null || !USABLE_STATUS.contains(status)) {
            problems.add(new InputProblem("Observation.status", "value",
                    "expected status one of " + USABLE_STATUS + ", found " + status));
        }
        ObservationKind kind = kind(obs, problems);
        if (kind != null && kind.categoryRequired()
                && obs.getCategory().stream().noneMatch(c -> has(c, CATEGORY_SYSTEM, kind.category()))) {
            problems.add(new InputProblem("Observation.category", "required",
                    "expected category " + CATEGORY_SYSTEM + "|" + kind.category() + ", found " + codings(obs.getCategory())));
        }
        String patientId = patientId(obs, problems);
        Instant effective = effective(obs, now, problems);
        BloodPressureReading reading = null;
        Measurement measurement = null;
        if (kind == ObservationKind.BLOOD_PRESSURE) {
            Double systolic = component(obs, SYSTOLIC, "systolic", 40, 300, problems);
            Double diastolic = component(obs, DIASTOLIC, "diastolic", 20, 200, problems);
            if (systolic != null && diastolic != null && diastolic >= systolic) {
                problems.add(new InputProblem("Observation.component", "value", String.format(Locale.ROOT,
                        "expected diastolic below systolic, found %s/%s mm[Hg]", fmt(systolic), fmt(diastolic))));
            }
            if (problems.isEmpty()) {
                reading = new BloodPressureReading(observationId, effective, systolic, diastolic);
            }
        } else if (kind == ObservationKind.PREGNANCY_STATUS || kind == ObservationKind.SYMPTOM) {
            String code = coded(obs, kind == ObservationKind.SYMPTOM
                    ? "a SNOMED CT finding (e.g. 404640003 dizziness, 271594007 syncope)"
                    : "a SNOMED CT pregnancy status (e.g. 77386006 pregnant, 60001007 not pregnant)", problems);
            if (problems.isEmpty()) {
                measurement = new Measurement(observationId, kind, effective, null, code);
            }
        } else if (kind != null) {
            Double value = quantity(obs.hasValueQuantity() ? obs.getValueQuantity() : null, "Observation.valueQuantity",
                    kind.name().toLowerCase(Locale.ROOT).replace('_', ' '), kind.unit(), kind.min(), kind.max(), problems);
            if (problems.isEmpty()) {
                measurement = new Measurement(observationId, kind, effective, value, null);
            }
        }
        return new Checked(kind, patientId, reading, measurement, List.copyOf(problems));
    }

    private static ObservationKind kind(Observation obs, List<InputProblem> problems) {
        for (Coding c : obs.getCode().getCoding()) {
            if (LOINC.equals(c.getSystem()) && c.getCode() != null) {
                Optional<ObservationKind> k = ObservationKind.byLoinc(c.getCode());
                if (k.isPresent()) {
                    return k.get();
                }
            }
        }
        problems.add(new InputProblem("Observation.code", "value", "expected a LOINC code ClinLoop accepts "
                + ObservationKind.accepted() + ", found " + codings(List.of(obs.getCode()))));
        return null;
    }

    private static String patientId(Observation obs, List<InputProblem> problems) {
        String id = subjectPatientId(obs);
        if (id == null) {
            String ref = obs.hasSubject() ? obs.getSubject().getReference() : null;
            problems.add(new InputProblem("Observation.subject", "required",
                    "expected subject Patient/{id}, found " + (ref == null ? "none" : ref)));
        }
        return id;
    }

    /** The id in {@code subject: Patient/{id}}, or null when the subject is not of that form. */
    public static String subjectPatientId(Observation obs) {
        String ref = obs.hasSubject() ? obs.getSubject().getReference() : null;
        return ref != null && ref.matches("Patient/[A-Za-z0-9\\-.]{1,64}") ? ref.substring("Patient/".length()) : null;
    }

    private static Instant effective(Observation obs, Instant now, List<InputProblem> problems) {
        if (!obs.hasEffectiveDateTimeType() || obs.getEffectiveDateTimeType().getValue() == null) {
            problems.add(new InputProblem("Observation.effective", "required",
                    "expected effectiveDateTime (when it was measured), found "
                            + (obs.hasEffective() ? obs.getEffective().fhirType() : "none")));
            return null;
        }
        Instant effective = obs.getEffectiveDateTimeType().getValue().toInstant();
        if (effective.isAfter(now.plus(CLOCK_SKEW))) {
            problems.add(new InputProblem("Observation.effective", "value",
                    "expected a time no later than " + now.plus(CLOCK_SKEW) + ", found " + effective));
        }
        return effective;
    }

    private static Double component(Observation obs, String loinc, String name, double lo, double hi,
                                    List<InputProblem> problems) {
        List<Observation.ObservationComponentComponent> comps = obs.getComponent();
        for (int i = 0; i < comps.size(); i++) {
            if (has(comps.get(i).getCode(), LOINC, loinc)) {
                return quantity(comps.get(i).hasValueQuantity() ? comps.get(i).getValueQuantity() : null,
                        "Observation.component[" + i + "].valueQuantity", name, MM_HG, lo, hi, problems);
            }
        }
        problems.add(new InputProblem("Observation.component", "required",
                "expected a component with code " + LOINC + "|" + loinc + " (" + name + "), found none"));
        return null;
    }

    /** A UCUM quantity converted to {@code unit} and checked against [lo, hi]; null with a problem otherwise. */
    private static Double quantity(Quantity q, String path, String name, String unit, double lo, double hi,
                                   List<InputProblem> problems) {
        if (q == null || !q.hasValue()) {
            problems.add(new InputProblem(path + ".value", "required",
                    "expected a " + name + " value in " + unit + ", found none"));
            return null;
        }
        String code = q.getCode();
        if (!UCUM.equals(q.getSystem()) || Units.problem(code).isPresent()) {
            String hint = "mmHg".equalsIgnoreCase(code) || "mmHg".equalsIgnoreCase(q.getUnit())
                    ? " (UCUM writes millimetres of mercury as mm[Hg], with brackets)" : "";
            problems.add(new InputProblem(path + ".code", "value", "expected a UCUM unit (" + UCUM + ") convertible to "
                    + unit + ", found " + q.getSystem() + "|" + code + hint));
            return null;
        }
        Optional<Double> converted = Units.convert(q.getValue().doubleValue(), code, unit);
        if (converted.isEmpty()) {
            problems.add(new InputProblem(path + ".code", "value", "expected a unit convertible to " + unit
                    + ", found " + code));
            return null;
        }
        double v = converted.get();
        if (v < lo || v > hi) {
            problems.add(new InputProblem(path + ".value", "value", String.format(Locale.ROOT,
                    "expected %s between %s and %s %s, found %s%s", name, fmt(lo), fmt(hi), unit, fmt(v),
                    code.equals(unit) ? "" : " (" + q.getValue().toPlainString() + " " + code + ")")));
            return null;
        }
        return v;
    }

    private static String coded(Observation obs, String expected, List<InputProblem> problems) {
        if (!obs.hasValueCodeableConcept()) {
            problems.add(new InputProblem("Observation.valueCodeableConcept", "required",
                    "expected " + expected + ", found " + (obs.hasValue() ? obs.getValue().fhirType() : "none")));
            return null;
        }
        for (Coding c : obs.getValueCodeableConcept().getCoding()) {
            if (SNOMED.equals(c.getSystem()) && c.hasCode()) {
                return c.getCode();
            }
        }
        problems.add(new InputProblem("Observation.valueCodeableConcept", "value",
                "expected a SNOMED CT code, found " + codings(List.of(obs.getValueCodeableConcept()))));
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
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.4g", v);
    }
}
