package org.clinloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.clinloop.approval.CareTeam;
import org.clinloop.audit.Actor;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Who may assert which kind, and in which capacity a caller sends: the table the refusals follow. */
class AssertionRightsTest {

    static final Set<ObservationSource> EHR_OR_CLINICIAN = EnumSet.of(ObservationSource.EHR_SYSTEM,
            ObservationSource.CLINICIAN);

    /** The expected table, written out by hand: kind → sources allowed. Anything missing is refused. */
    static final Map<ObservationKind, Set<ObservationSource>> ALLOWED = Map.of(
            ObservationKind.BLOOD_PRESSURE, EnumSet.of(ObservationSource.EHR_SYSTEM, ObservationSource.DEVICE_GATEWAY,
                    ObservationSource.CLINICIAN, ObservationSource.PATIENT, ObservationSource.SYSTEM),
            ObservationKind.HEART_RATE, EnumSet.of(ObservationSource.EHR_SYSTEM, ObservationSource.DEVICE_GATEWAY,
                    ObservationSource.CLINICIAN, ObservationSource.PATIENT, ObservationSource.SYSTEM),
            ObservationKind.STEPS, EnumSet.of(ObservationSource.EHR_SYSTEM, ObservationSource.DEVICE_GATEWAY,
                    ObservationSource.CLINICIAN, ObservationSource.PATIENT, ObservationSource.SYSTEM),
            ObservationKind.BODY_WEIGHT, EnumSet.of(ObservationSource.EHR_SYSTEM, ObservationSource.DEVICE_GATEWAY,
                    ObservationSource.CLINICIAN, ObservationSource.PATIENT, ObservationSource.SYSTEM),
            ObservationKind.OXYGEN_SATURATION, EnumSet.of(ObservationSource.EHR_SYSTEM, ObservationSource.DEVICE_GATEWAY,
                    ObservationSource.CLINICIAN, ObservationSource.PATIENT, ObservationSource.SYSTEM),
            ObservationKind.POTASSIUM, EHR_OR_CLINICIAN,
            ObservationKind.EGFR, EHR_OR_CLINICIAN,
            ObservationKind.PREGNANCY_STATUS, EHR_OR_CLINICIAN,
            ObservationKind.SYMPTOM, EnumSet.of(ObservationSource.EHR_SYSTEM, ObservationSource.CLINICIAN,
                    ObservationSource.PATIENT));

    static final Actor JONES = new Actor("pat.jones", null, Set.of("patient"), "demo-jones", null);
    static final Actor EHR = new Actor("service-account-clinloop-ehr", null, Set.of("ehr-system"), null, null);
    static final Actor RIVERA = new Actor("dr.rivera", null, Set.of("clinician"), null, "dr-rivera");
    static final CareTeam RIVERA_CARES_FOR_JONES = new CareTeam() {
        @Override
        public Optional<String> responsiblePractitioner(String patientId) {
            return "demo-jones".equals(patientId) ? Optional.of("dr-rivera") : Optional.empty();
        }

        @Override
        public boolean knows(String patientId) {
            return true;
        }

        @Override
        public java.util.List<Member> panelOf(String practitionerId, int limit) {
            return "dr-rivera".equals(practitionerId) ? java.util.List.of(new Member("demo-jones", "Pat Jones"))
                    : java.util.List.of();
        }
    };

    @ParameterizedTest
    @EnumSource(ObservationKind.class)
    void eachKindIsAssertableByExactlyTheSourcesOfTheTable(ObservationKind kind) {
        for (ObservationSource source : ObservationSource.values()) {
            boolean allowed = ALLOWED.get(kind).contains(source);
            assertThat(kind.assertableBy(source)).as(kind + " from " + source).isEqualTo(allowed);
            Optional<InputProblem> refusal = ObservationIntake.refusal(kind, source, JONES);
            assertThat(refusal.isEmpty()).as(kind + " from " + source).isEqualTo(allowed);
        }
        assertThat(kind.assertableBy(ObservationSource.UNKNOWN)).as("nobody sends as unknown").isFalse();
    }

    @Test
    void aPatientAssertingALabIsToldWhatWasExpectedAndWhatWasFound() {
        InputProblem p = ObservationIntake.refusal(ObservationKind.POTASSIUM, ObservationSource.PATIENT, JONES).orElseThrow();
        assertThat(p.code()).isEqualTo("forbidden");
        assertThat(p.expression()).isEqualTo("Observation.code");
        assertThat(p.message()).isEqualTo("expected potassium (LOINC 2823-3) from EHR system or clinician, found one sent"
                + " by pat.jones as patient: a patient may report symptoms and send vital signs, not labs or pregnancy"
                + " status");
        assertThat(ObservationIntake.refusal(ObservationKind.PREGNANCY_STATUS, ObservationSource.PATIENT, JONES))
                .isPresent();
        assertThat(ObservationIntake.refusal(ObservationKind.EGFR, ObservationSource.SYSTEM, JONES)).get()
                .extracting(InputProblem::message).asString().contains("as system");
    }

    @Test
    void onlyTheEhrAndCliniciansAreTrustedToClearAContraindication() {
        for (ObservationSource s : ObservationSource.values()) {
            assertThat(s.trusted()).as(s.name()).isEqualTo(EHR_OR_CLINICIAN.contains(s));
            assertThat(ObservationSource.byCode(s.code())).isSameAs(s);
        }
        assertThatThrownBy(() -> ObservationSource.byCode("gateway")).hasMessageContaining("found gateway");
    }

    @Test
    void aGatewaySigningInAsASystemIsAGatewayAndMaySendOnlyDeviceMeasurements() {
        Actor gateway = new Actor("service-account-clinloop-gateway", null, Set.of("ehr-system", "device-gateway"), null, null);
        assertThat(ObservationSource.of(gateway, "demo-jones", RIVERA_CARES_FOR_JONES)).contains(ObservationSource.DEVICE_GATEWAY);
        assertThat(ObservationKind.BLOOD_PRESSURE.assertableBy(ObservationSource.DEVICE_GATEWAY)).isTrue();
        for (ObservationKind lab : List.of(ObservationKind.POTASSIUM, ObservationKind.EGFR, ObservationKind.PREGNANCY_STATUS,
                ObservationKind.SYMPTOM)) {
            assertThat(ObservationIntake.refusal(lab, ObservationSource.DEVICE_GATEWAY, gateway)).as(lab.name()).get()
                    .extracting(InputProblem::message).asString().contains("as device-gateway")
                    .contains("a device gateway sends device measurements");
        }
    }

    @Test
    void theCallersCapacityComesFromTheTokenAndTheRelationship() {
        assertThat(ObservationSource.of(JONES, "demo-jones", RIVERA_CARES_FOR_JONES)).contains(ObservationSource.PATIENT);
        assertThat(ObservationSource.of(JONES, "demo-lee", RIVERA_CARES_FOR_JONES)).as("someone else's record").isEmpty();
        assertThat(ObservationSource.of(EHR, "demo-lee", RIVERA_CARES_FOR_JONES)).contains(ObservationSource.EHR_SYSTEM);
        assertThat(ObservationSource.of(RIVERA, "demo-jones", RIVERA_CARES_FOR_JONES)).contains(ObservationSource.CLINICIAN);
        assertThat(ObservationSource.of(RIVERA, "demo-lee", RIVERA_CARES_FOR_JONES)).as("not on her panel").isEmpty();
        assertThat(ObservationSource.of(Actor.system("import"), "demo-lee", RIVERA_CARES_FOR_JONES))
                .contains(ObservationSource.SYSTEM);
        Actor clinicianAndPatient = new Actor("dr.jones", null, Set.of("clinician", "patient"), "demo-jones", "dr-rivera");
        assertThat(ObservationSource.of(clinicianAndPatient, "demo-jones", RIVERA_CARES_FOR_JONES))
                .as("a clinician's own reading is patient-entered").contains(ObservationSource.PATIENT);
        Actor compliance = new Actor("compliance", null, Set.of("compliance-officer"), null, null);
        assertThat(ObservationSource.of(compliance, "demo-jones", RIVERA_CARES_FOR_JONES)).isEmpty();
    }

    @Test
    void theStoredResourceCarriesClinLoopsSourceTagAndNotTheSendersClaim() {
        Observation sent = new Observation();
        sent.getMeta().addTag(ObservationSource.TAG_SYSTEM, "ehr-system", "EHR system");
        sent.getMeta().addTag("urn:other", "keep", null);

        Observation stored = ObservationIntake.marked(sent, ObservationSource.PATIENT);

        assertThat(stored.getMeta().getTag()).filteredOn(t -> ObservationSource.TAG_SYSTEM.equals(t.getSystem()))
                .singleElement().satisfies(t -> {
                    assertThat(t.getCode()).isEqualTo("patient");
                    assertThat(t.getDisplay()).isEqualTo("patient-entered");
                });
        assertThat(stored.getMeta().getTag()).extracting(t -> t.getSystem()).contains("urn:other");
        assertThat(sent.getMeta().getTag()).as("the sender's resource is not changed").hasSize(2)
                .extracting(t -> t.getCode()).contains("ehr-system");
    }
}
