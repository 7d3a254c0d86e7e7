package org.clinloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.clinloop.approval.ClinicalContext;
import org.junit.jupiter.api.Test;

/** The cases of issue 14 by hand, with the values a reviewer would try first. */
class ContraindicationsTest {

    static final Instant NOW = Instant.parse("2026-11-20T08:00:00Z");

    static LabEvidence potassium(int hoursAgo, double value, ObservationSource source) {
        return new LabEvidence(ObservationKind.POTASSIUM, NOW.minus(Duration.ofHours(hoursAgo)), value, null, source);
    }

    static LabEvidence coded(ObservationKind kind, int hoursAgo, String code, ObservationSource source) {
        return new LabEvidence(kind, NOW.minus(Duration.ofHours(hoursAgo)), null, code, source);
    }

    static ClinicalContext at(LabEvidence... evidence) {
        return new Contraindications(List.of(evidence)).at(NOW);
    }

    @Test
    void aPatientsNormalPotassiumAfterTheEhrsHighOneLeavesTheHighOne() {
        ClinicalContext c = at(potassium(30, 6.3, ObservationSource.EHR_SYSTEM), potassium(2, 4.0, ObservationSource.PATIENT));
        assertThat(c.potassium()).isEqualTo(6.3);
        assertThat(c.provenance().potassium()).isEqualTo("ehr-system at " + NOW.minus(Duration.ofHours(30)));
    }

    @Test
    void aNewerTrustedValueClearsItAndAPatientsHighValueStillAddsOne() {
        assertThat(at(potassium(30, 6.3, ObservationSource.EHR_SYSTEM), potassium(2, 4.0, ObservationSource.CLINICIAN))
                .potassium()).isEqualTo(4.0);
        ClinicalContext added = at(potassium(30, 4.2, ObservationSource.EHR_SYSTEM), potassium(2, 5.9, ObservationSource.PATIENT));
        assertThat(added.potassium()).isEqualTo(5.9);
        assertThat(added.provenance().potassium()).startsWith("patient at ");
        assertThat(at(potassium(2, 5.9, ObservationSource.PATIENT), potassium(1, 4.0, ObservationSource.PATIENT)).potassium())
                .as("nor may a patient clear their own report").isEqualTo(5.9);
        assertThat(at(potassium(24 * 91, 6.3, ObservationSource.EHR_SYSTEM)).potassium()).as("older than 90 days").isNull();
    }

    @Test
    void legacyRowsWhoseSenderWasNeverRecordedCanAddButNotClear() {
        ClinicalContext c = at(potassium(48, 6.3, ObservationSource.UNKNOWN), potassium(2, 4.0, ObservationSource.UNKNOWN));
        assertThat(c.potassium()).isEqualTo(6.3);
        assertThat(c.provenance().potassium()).startsWith("unknown at ");
    }

    @Test
    void onlyATrustedSourceSaysNotPregnant() {
        assertThat(at(coded(ObservationKind.PREGNANCY_STATUS, 48, ObservationKind.PREGNANT, ObservationSource.CLINICIAN),
                coded(ObservationKind.PREGNANCY_STATUS, 2, "60001007", ObservationSource.UNKNOWN)).pregnant()).isTrue();
        assertThat(at(coded(ObservationKind.PREGNANCY_STATUS, 2, "60001007", ObservationSource.UNKNOWN)).pregnant())
                .as("unknown stays unknown").isNull();
        assertThat(at(coded(ObservationKind.PREGNANCY_STATUS, 48, ObservationKind.PREGNANT, ObservationSource.EHR_SYSTEM),
                coded(ObservationKind.PREGNANCY_STATUS, 2, "60001007", ObservationSource.EHR_SYSTEM)).pregnant()).isFalse();
    }

    @Test
    void theEgfrFallIsMeasuredForTheNewestTrustedValueAndAnyUntrustedOneAfterIt() {
        LabEvidence baseline = new LabEvidence(ObservationKind.EGFR, NOW.minus(Duration.ofDays(60)), 80.0, null,
                ObservationSource.EHR_SYSTEM);
        LabEvidence fallen = new LabEvidence(ObservationKind.EGFR, NOW.minus(Duration.ofDays(1)), 50.0, null,
                ObservationSource.EHR_SYSTEM);
        LabEvidence patientsNormal = new LabEvidence(ObservationKind.EGFR, NOW.minus(Duration.ofHours(2)), 82.0, null,
                ObservationSource.UNKNOWN);
        ClinicalContext c = at(baseline, fallen, patientsNormal);
        assertThat(c.egfrDropPercent()).isEqualTo(37.5);
        assertThat(c.provenance().egfrDropPercent()).startsWith("ehr-system at ");
    }

    @Test
    void aLaterReportOfSomethingElseDoesNotHideASymptomOfLowPressure() {
        ClinicalContext c = at(coded(ObservationKind.SYMPTOM, 30, "404640003", ObservationSource.PATIENT),
                coded(ObservationKind.SYMPTOM, 2, "49727002", ObservationSource.EHR_SYSTEM));
        assertThat(c.hypotensionSymptom()).isEqualTo("dizziness (SNOMED 404640003) at " + NOW.minus(Duration.ofHours(30)));
        assertThat(c.provenance().hypotensionSymptom()).startsWith("patient at ");
        assertThat(at(coded(ObservationKind.SYMPTOM, 73, "404640003", ObservationSource.PATIENT)).hypotensionSymptom())
                .as("after 72 hours").isNull();
    }

    @Test
    void nothingKnownIsNothingAssumed() {
        ClinicalContext c = at();
        assertThat(c).isEqualTo(new ClinicalContext(null, null, null, null, ClinicalContext.Provenance.UNRECORDED));
    }
}
