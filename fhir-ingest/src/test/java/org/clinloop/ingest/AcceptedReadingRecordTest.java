package org.clinloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.clinloop.audit.EntryCodec;
import org.clinloop.recommendation.BloodPressureReading;
import org.junit.jupiter.api.Test;

/**
 * Ingest writes OBSERVATION_ACCEPTED through {@code ReadingRecorded} and the bytes are those it
 * wrote before: the golden files approval-workflow owns, generated from the same inputs.
 */
class AcceptedReadingRecordTest {

    static String golden(String name) throws Exception {
        return Files.readString(Path.of("../approval-workflow/src/test/resources/golden/records", name));
    }

    @Test
    void aBloodPressureIsRecordedAsBefore() throws Exception {
        Instant at = Instant.parse("2026-12-03T07:31:12Z");
        String json = "{\"resourceType\":\"Observation\",\"id\":\"obs-7f3a\"}";
        assertThat(EntryCodec.canonicalDetail(ObservationIntake.accepted("obs-7f3a", ObservationKind.BLOOD_PRESSURE, at,
                ObservationSource.PATIENT, new BloodPressureReading("obs-7f3a", at, 152.0, 95.0), null, json,
                List.of()).toDetail())).isEqualTo(golden("observation-accepted-blood-pressure.json"));
    }

    @Test
    void aQuantityWithAWarningIsRecordedAsBefore() throws Exception {
        Instant at = Instant.parse("2026-12-01T08:00:00Z");
        assertThat(EntryCodec.canonicalDetail(ObservationIntake.accepted("obs-k1", ObservationKind.POTASSIUM, at,
                ObservationSource.EHR_SYSTEM, null, new Measurement("obs-k1", ObservationKind.POTASSIUM, at, 5.8, null),
                "{\"resourceType\":\"Observation\",\"id\":\"obs-k1\"}",
                List.of(new InputProblem("Observation.valueQuantity.unit", "value",
                        "unit display \"mmol/l\" is not the UCUM code's"))).toDetail()))
                .isEqualTo(golden("observation-accepted-potassium.json"));
    }

    @Test
    void aCodedValueWithoutUnitIsRecordedAsBefore() throws Exception {
        Instant at = Instant.parse("2026-12-02T21:00:00Z");
        assertThat(EntryCodec.canonicalDetail(ObservationIntake.accepted("obs-s1", ObservationKind.SYMPTOM, at,
                ObservationSource.PATIENT, null, new Measurement("obs-s1", ObservationKind.SYMPTOM, at, null, "404640003"),
                "{\"resourceType\":\"Observation\",\"id\":\"obs-s1\"}", List.of()).toDetail()))
                .isEqualTo(golden("observation-accepted-symptom.json"));
    }

    /** Issue 14, hole 6: a caller can make the profile report many warnings; the log keeps the first ten. */
    @Test
    void manyWarningsAreCutToTheFirstTenAndAMarker() {
        Instant at = Instant.parse("2026-12-01T08:00:00Z");
        List<InputProblem> warnings = java.util.stream.IntStream.range(0, 37)
                .mapToObj(i -> new InputProblem("Observation.extension[" + i + "]", "informational", "unknown extension"))
                .toList();
        org.clinloop.approval.ReadingRecorded recorded = ObservationIntake.accepted("obs-k2", ObservationKind.POTASSIUM,
                at, ObservationSource.EHR_SYSTEM, null, new Measurement("obs-k2", ObservationKind.POTASSIUM, at, 4.1, null),
                "{}", warnings);
        assertThat(recorded.warnings()).hasSize(11);
        assertThat(recorded.warnings().get(9)).isEqualTo("Observation.extension[9]: unknown extension");
        assertThat(recorded.warnings().get(10)).isEqualTo("…[cut: 37 warnings in all, the first 10 kept]");
        assertThat(org.clinloop.approval.ReadingRecorded.fromDetail(new java.util.LinkedHashMap<>(recorded.toDetail())))
                .as("the record still reads back").isEqualTo(recorded);
    }
}
