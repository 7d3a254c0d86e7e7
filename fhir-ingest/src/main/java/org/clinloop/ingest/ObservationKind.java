package org.clinloop.ingest;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The Observations ClinLoop accepts, each by LOINC code, with the category a sender must give,
 * the unit values are stored in (others are converted by UCUM when commensurable) and the range
 * outside which a value is refused as implausible. Only the blood-pressure panel drives a
 * titration decision; the laboratory values and pregnancy status feed the contraindication checks.
 *
 * <p>Each kind also says who may assert it ({@link #assertableBy}): laboratory values and
 * pregnancy status only EHR systems and clinicians, because they can clear a contraindication; a
 * patient may send vital signs and activity (stored as patient-entered) and report a symptom,
 * which can add a contraindication but never clear one. Deny by default: a source not listed is
 * refused.
 */
public enum ObservationKind {
    BLOOD_PRESSURE(List.of("85354-9"), "vital-signs", "mm[Hg]", 0, 0, Sources.MEASURED),
    HEART_RATE(List.of("8867-4"), "vital-signs", "/min", 20, 300, Sources.MEASURED),
    STEPS(List.of("41950-7"), "activity", "/d", 0, 100_000, Sources.MEASURED),
    BODY_WEIGHT(List.of("29463-7"), "vital-signs", "kg", 1, 500, Sources.MEASURED),
    OXYGEN_SATURATION(List.of("59408-5", "2708-6"), "vital-signs", "%", 50, 100, Sources.MEASURED),
    POTASSIUM(List.of("2823-3", "6298-4"), "laboratory", "mmol/L", 1.5, 10, Sources.CLINICAL),
    EGFR(List.of("33914-3", "62238-1", "98979-8"), "laboratory", "mL/min/{1.73_m2}", 1, 250, Sources.CLINICAL),
    /** US Core pregnancy status: valueCodeableConcept, SNOMED CT 77386006 = pregnant. */
    PREGNANCY_STATUS(List.of("82810-3"), "social-history", null, 0, 0, Sources.CLINICAL),
    /** A symptom the patient reports (LOINC 75325-1 "Symptom"): valueCodeableConcept, a SNOMED CT finding. */
    SYMPTOM(List.of("75325-1"), "survey", null, 0, 0, Sources.REPORTED);

    public static final String PREGNANT = "77386006";

    /** SNOMED CT findings that suggest low blood pressure: dizziness, light-headedness, syncope, presyncope. */
    public static final java.util.Map<String, String> HYPOTENSION_SYMPTOMS = java.util.Map.of(
            "404640003", "dizziness", "386705008", "light-headedness", "271594007", "syncope", "427461000", "near syncope");

    private final List<String> loinc;
    private final String category;
    private final String unit;
    private final double min;
    private final double max;
    private final Set<ObservationSource> assertableBy;

    ObservationKind(List<String> loinc, String category, String unit, double min, double max,
                    Set<ObservationSource> assertableBy) {
        this.loinc = loinc;
        this.category = category;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.assertableBy = assertableBy;
    }

    /** Who may assert which kinds (an enum constant cannot refer to a static field of its own enum). */
    private static final class Sources {
        /** Vital signs and activity: measured by the EHR, a clinician, a device gateway, the patient's own device or app. */
        static final Set<ObservationSource> MEASURED = Set.copyOf(EnumSet.of(ObservationSource.EHR_SYSTEM,
                ObservationSource.DEVICE_GATEWAY, ObservationSource.CLINICIAN, ObservationSource.PATIENT,
                ObservationSource.SYSTEM));
        /** Labs and pregnancy status: they can clear a contraindication, so only the EHR and clinicians. */
        static final Set<ObservationSource> CLINICAL = Set.copyOf(EnumSet.of(ObservationSource.EHR_SYSTEM,
                ObservationSource.CLINICIAN));
        /** Symptoms: the patient reports them; the EHR and clinicians may record them too. */
        static final Set<ObservationSource> REPORTED = Set.copyOf(EnumSet.of(ObservationSource.EHR_SYSTEM,
                ObservationSource.CLINICIAN, ObservationSource.PATIENT));
    }

    /** Whether an observation of this kind from {@code source} is accepted at all. */
    public boolean assertableBy(ObservationSource source) {
        return assertableBy.contains(source);
    }

    /** The sources that may assert this kind, in declaration order (for messages). */
    public List<ObservationSource> sources() {
        return java.util.Arrays.stream(ObservationSource.values()).filter(assertableBy::contains).toList();
    }

    public static Optional<ObservationKind> byLoinc(String code) {
        for (ObservationKind k : values()) {
            if (k.loinc.contains(code)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** Every accepted LOINC code, for messages. */
    public static List<String> accepted() {
        return java.util.Arrays.stream(values()).flatMap(k -> k.loinc.stream().map(c -> c + " " + k.name().toLowerCase()))
                .toList();
    }

    /** The LOINC code stored for this kind (its first). */
    public String code() {
        return loinc.get(0);
    }

    public List<String> codes() {
        return loinc;
    }

    public String category() {
        return category;
    }

    /** The UCUM unit values are stored in, or null for a coded value. */
    public String unit() {
        return unit;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** Vital signs must carry the vital-signs category (the FHIR vital-signs profile requires it). */
    public boolean categoryRequired() {
        return "vital-signs".equals(category);
    }
}
