package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.clinloop.audit.Fingerprints;
import org.junit.jupiter.api.Test;

class SyntheticCohortTest {

    static final SyntheticCohort.MeasurementBias BIAS = SyntheticCohort.MeasurementBias.WRIST_PPG_DARKER_SKIN;

    /** Everything an example holds except its groups: ids, times, readings, dose, features, label. */
    static String fingerprint(List<SyntheticCohort.Example> cohort) {
        List<Object> rows = new ArrayList<>();
        for (SyntheticCohort.Example e : cohort) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", e.snapshot().patientId());
            row.put("asOf", e.snapshot().asOf().toString());
            row.put("dose", e.snapshot().doseStep());
            row.put("readings", e.snapshot().readings().stream()
                    .map(r -> List.of(r.effective().toString(), r.systolic(), r.diastolic())).toList());
            row.put("features", e.features().values());
            row.put("missing", e.features().missing().stream().sorted().toList());
            row.put("label", e.label().name());
            row.put("steps", e.steps());
            rows.add(row);
        }
        return Fingerprints.of(Map.of("examples", rows));
    }

    /**
     * Golden values of cohort v2 (features v2: 30-day means, variability, night dipping and the
     * patient's signals; adherence skewed towards full; the adherence rule of the policy; labels
     * carry their steps; two drug classes; the guideline's threshold indicators). Any change
     * to a reading, feature or label breaks them, and with them every stored dataset hash and
     * DriftMonitor's regenerated reference: change them only with a new feature or cohort version.
     * (Versions trained on v1 features are refused for serving and activation: TitrationModel.)
     */
    @Test
    void theDefaultCohortIsTheOneEarlierVersionsGenerated() {
        List<SyntheticCohort.Example> bootstrap = SyntheticCohort.generate(20261123L, 4000, 0.03);
        assertThat(fingerprint(bootstrap)).isEqualTo("e6d43b17c903b8ddff0dbe738143d1f4ab7ec3f43cf0dee9c488d1f649bbfac8");
        assertThat(ModelTrainer.datasetHash(bootstrap))
                .isEqualTo("6691844f7ed01218375f0f34663f8129bf6154819d088753d9f531fc58eaf128");
        assertThat(fingerprint(SyntheticCohort.generate(7L, 500, 0.0)))
                .isEqualTo("714234e4aefbdb456f96a70899e822dab6d1e3c1f7c546175005859fa958963a");
    }

    @Test
    void groupsUseTheFairnessVocabularyInTheStatedShares() {
        List<SyntheticCohort.Example> cohort = SyntheticCohort.generate(20261123L, 4000, 0.03);
        assertThat(cohort).allSatisfy(e -> assertThat(e.groups()).containsOnlyKeys(
                SyntheticCohort.SEX, SyntheticCohort.AGE_BAND, SyntheticCohort.SKIN_TONE));
        assertThat(shares(cohort, SyntheticCohort.SEX)).containsOnlyKeys("female", "male")
                .hasEntrySatisfying("female", s -> assertThat(s).isCloseTo(0.50, within(0.03)));
        // The fairness audit's bands (PatientAttributes.Profile.ageBand).
        Map<String, Double> age = shares(cohort, SyntheticCohort.AGE_BAND);
        assertThat(age).containsOnlyKeys("<45", "45-64", "65-74", "75+");
        assertThat(age.get("<45")).isCloseTo(0.15, within(0.03));
        assertThat(age.get("45-64")).isCloseTo(0.40, within(0.03));
        assertThat(age.get("65-74")).isCloseTo(0.25, within(0.03));
        assertThat(age.get("75+")).isCloseTo(0.20, within(0.03));
        assertThat(shares(cohort, SyntheticCohort.SKIN_TONE))
                .containsOnlyKeys(SyntheticCohort.FITZPATRICK_I_III, SyntheticCohort.FITZPATRICK_IV_VI)
                .hasEntrySatisfying(SyntheticCohort.FITZPATRICK_IV_VI, s -> assertThat(s).isCloseTo(0.30, within(0.03)));
    }

    @Test
    void groupsAreSeeded() {
        Function<Long, List<Map<String, String>>> groups = seed -> SyntheticCohort.generate(seed, 300, 0.03).stream()
                .map(SyntheticCohort.Example::groups).toList();
        assertThat(groups.apply(5L)).isEqualTo(groups.apply(5L)).isNotEqualTo(groups.apply(6L));
    }

    @Test
    void theWristReadsTheAffectedGroupLowByTheStatedOffset() {
        List<SyntheticCohort.Example> plain = SyntheticCohort.generate(20261123L, 4000, 0.03);
        List<SyntheticCohort.Example> biased = SyntheticCohort.generate(20261123L, 4000, 0.03, BIAS);
        double sbp = 0;
        double dbp = 0;
        int readings = 0;
        for (int i = 0; i < plain.size(); i++) {
            if (!BIAS.group().equals(plain.get(i).groups().get(BIAS.attribute()))) {
                continue;
            }
            List<BloodPressureReading> a = plain.get(i).snapshot().readings();
            List<BloodPressureReading> b = biased.get(i).snapshot().readings();
            for (int k = 0; k < a.size(); k++) {
                sbp += b.get(k).systolic() - a.get(k).systolic();
                dbp += b.get(k).diastolic() - a.get(k).diastolic();
                readings++;
            }
        }
        assertThat(readings).isGreaterThan(5000);
        assertThat(sbp / readings).isCloseTo(BIAS.systolicOffset(), within(0.5));
        assertThat(dbp / readings).isCloseTo(BIAS.diastolicOffset(), within(0.5));
    }

    @Test
    void aBiasMustBeNamed() {
        assertThatThrownBy(() -> SyntheticCohort.generate(1, 10, 0.03, null)).isInstanceOf(NullPointerException.class)
                .hasMessageContaining("generate(seed, patients, labelNoise)");
        assertThatThrownBy(() -> new SyntheticCohort.MeasurementBias("skin_tone", "x", -1, -1, -1, 0))
                .hasMessageContaining("Expected extra noise >= 0");
    }

    /**
     * A bias changes what the wrist reports for the affected group and nothing else: the same
     * patients, groups and labels (which come from what a validated device would read), and the
     * other groups' examples are untouched.
     */
    @Property(tries = 40)
    void aBiasChangesOnlyTheAffectedGroupsReadings(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int patients,
                                                   @ForAll @DoubleRange(min = -20, max = 20) double offset,
                                                   @ForAll @DoubleRange(min = 0, max = 10) double noise,
                                                   @ForAll boolean bySkinTone) {
        SyntheticCohort.MeasurementBias bias = bySkinTone
                ? new SyntheticCohort.MeasurementBias(SyntheticCohort.SKIN_TONE, SyntheticCohort.FITZPATRICK_IV_VI,
                        offset, offset / 2, noise, noise / 2)
                : new SyntheticCohort.MeasurementBias(SyntheticCohort.SEX, "female", offset, offset / 2, noise, noise / 2);
        List<SyntheticCohort.Example> plain = SyntheticCohort.generate(seed, patients, 0.03);
        List<SyntheticCohort.Example> biased = SyntheticCohort.generate(seed, patients, 0.03, bias);
        assertThat(biased).hasSameSizeAs(plain);
        for (int i = 0; i < plain.size(); i++) {
            SyntheticCohort.Example a = plain.get(i);
            SyntheticCohort.Example b = biased.get(i);
            assertThat(b.groups()).isEqualTo(a.groups());
            assertThat(b.label()).isEqualTo(a.label());
            assertThat(b.snapshot().patientId()).isEqualTo(a.snapshot().patientId());
            assertThat(b.snapshot().asOf()).isEqualTo(a.snapshot().asOf());
            assertThat(b.snapshot().doseStep()).isEqualTo(a.snapshot().doseStep());
            assertThat(b.snapshot().readings()).extracting(BloodPressureReading::effective)
                    .containsExactlyElementsOf(a.snapshot().readings().stream().map(BloodPressureReading::effective).toList());
            if (!bias.group().equals(a.groups().get(bias.attribute()))) {
                assertThat(b).isEqualTo(a);
            }
        }
    }

    static Map<String, Double> shares(List<SyntheticCohort.Example> cohort, String attribute) {
        return cohort.stream().collect(Collectors.groupingBy(e -> e.groups().get(attribute),
                Collectors.collectingAndThen(Collectors.counting(), c -> c / (double) cohort.size())));
    }

    @Test
    void aThirdOfPatientsAreOnACalciumChannelBlockerAndTheModelIsTold() {
        List<SyntheticCohort.Example> cohort = SyntheticCohort.generate(20261123L, 4000, 0.03);
        long ccb = cohort.stream().filter(e -> e.snapshot().drugClass() == DrugClass.CALCIUM_CHANNEL_BLOCKER).count();
        assertThat(ccb / 4000.0).isBetween(0.27, 0.33);
        assertThat(cohort).allSatisfy(e -> assertThat(e.features().value(FeatureExtractor.DRUG_CLASS_CCB))
                .isEqualTo(e.snapshot().drugClass() == DrugClass.CALCIUM_CHANNEL_BLOCKER ? 1.0 : 0.0));
        // Steps of the blocker lower systolic more: at the top of the ladder, its patients run lower.
        double ccbTop = cohort.stream().filter(e -> e.snapshot().doseStep() == 4
                        && e.snapshot().drugClass() == DrugClass.CALCIUM_CHANNEL_BLOCKER)
                .mapToDouble(e -> e.features().value(FeatureExtractor.SBP_MEAN_7D)).average().orElseThrow();
        double aceTop = cohort.stream().filter(e -> e.snapshot().doseStep() == 4
                        && e.snapshot().drugClass() == DrugClass.ACE_INHIBITOR)
                .mapToDouble(e -> e.features().value(FeatureExtractor.SBP_MEAN_7D)).average().orElseThrow();
        assertThat(ccbTop).isLessThan(aceTop);
    }
}
