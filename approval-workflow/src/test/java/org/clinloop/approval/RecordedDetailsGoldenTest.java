package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.EntryCodec;
import org.clinloop.recommendation.BloodPressureReading;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TIER_DECIDED and OBSERVATION_ACCEPTED details as writers wrote them (golden files, never
 * regenerated) parse into {@link TierRecorded} and {@link ReadingRecorded} and re-encode to the
 * same canonical bytes, so an entry hashes the same whether it was written through the record or
 * before it existed.
 */
class RecordedDetailsGoldenTest {

    static final Instant AT = Instant.parse("2026-12-03T07:41:12.345Z");

    static String golden(String name) {
        try (InputStream in = RecordedDetailsGoldenTest.class.getResourceAsStream("/golden/records/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static AuditEntry entry(AuditEventType type, String detailJson) {
        return new AuditEntry(42, 1, AT, type, "system:approval-workflow", "demo-lee", detailJson,
                EntryCodec.GENESIS_HASH, "");
    }

    /** Parse, re-encode, compare the detail and the hash of an entry around it. */
    static <R> R roundTrip(String file, AuditEventType type, Function<AuditEntry, R> parse,
                           Function<R, Map<String, Object>> toDetail) {
        String json = golden(file);
        R parsed = parse.apply(entry(type, json));
        String again = EntryCodec.canonicalDetail(toDetail.apply(parsed));
        assertThat(again).as(file).isEqualTo(json);
        assertThat(EntryCodec.recomputeHash(entry(type, again))).isEqualTo(EntryCodec.recomputeHash(entry(type, json)));
        return parsed;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tier-decided.json", "tier-decided-nothing-known.json", "tier-decided-before-context.json"})
    void everyTierDecidedReEncodesToTheSameBytes(String file) {
        TierRecorded t = roundTrip(file, TierRecorded.TYPE, TierRecorded::fromEntry, TierRecorded::toDetail);
        assertThat(TierRecorded.fromDetail(EntryCodec.parseDetail(golden(file)))).isEqualTo(t);
    }

    @ParameterizedTest
    @ValueSource(strings = {"observation-accepted-blood-pressure.json", "observation-accepted-potassium.json",
            "observation-accepted-symptom.json", "observation-accepted-before-source.json",
            "observation-accepted-before-kinds.json"})
    void everyObservationAcceptedReEncodesToTheSameBytes(String file) {
        ReadingRecorded r = roundTrip(file, ReadingRecorded.TYPE, ReadingRecorded::fromEntry, ReadingRecorded::toDetail);
        assertThat(ReadingRecorded.fromDetail(EntryCodec.parseDetail(golden(file)))).isEqualTo(r);
    }

    @Test
    void aDecisionReadsAsTyped() {
        TierRecorded t = TierRecorded.fromDetail(EntryCodec.parseDetail(golden("tier-decided.json")));
        assertThat(t.tier()).isEqualTo(Tier.NEEDS_APPROVAL);
        assertThat(t.fromStep()).isEqualTo(2);
        assertThat(t.toStep()).isEqualTo(3);
        assertThat(t.rulesFired()).first().isEqualTo(new RuleFiring("Potassium above limit blocks an increase",
                Tier.BLOCKED, "expected potassium ≤ 5.5 mmol/L, found 5.8 (ehr-system at 2026-12-01T08:00:00Z)"));
        assertThat(t.ruleNames()).containsExactly("Potassium above limit blocks an increase", "Autonomy not earned");
        assertThat(t.alerts()).containsExactly(new Alert("contraindication", "moderate", "potassium 5.8 mmol/L"));
        assertThat(t.bounds()).isEqualTo(new SafetyBounds("demo-lee", 3, "hypertension-acei-v1", 0, 4, 1, 105, 0.7, true,
                5, 3, "dr.rivera", Instant.parse("2026-11-28T15:04:05.678Z")));
        TierRecorded.Context c = t.context().orElseThrow();
        assertThat(c.readings()).extracting(BloodPressureReading::observationId)
                .containsExactly("obs-7f37", "obs-7f39", "obs-7f3a");
        assertThat(c.autonomy()).isEqualTo(new AutonomyState(1, 3, false));
        assertThat(c.changes()).isEqualTo(new AutoChangeHistory(Instant.parse("2026-11-20T10:00:00.120Z"), 1));
        assertThat(c.clinical()).isEqualTo(new ClinicalContext(false, 5.8, 12.5,
                "dizziness (404640003) at 2026-12-02T21:00:00Z"));
        assertThat(c.now()).isEqualTo(AT);
    }

    @Test
    void theTextNullOfVersionOneReadsBackAsUnknown() {
        TierRecorded t = TierRecorded.fromDetail(EntryCodec.parseDetail(golden("tier-decided-nothing-known.json")));
        TierRecorded.Context c = t.context().orElseThrow();
        assertThat(c.clinical()).isEqualTo(ClinicalContext.UNKNOWN);
        assertThat(c.changes()).isEqualTo(AutoChangeHistory.NONE);
        ReadingRecorded symptom = ReadingRecorded.fromDetail(EntryCodec.parseDetail(
                golden("observation-accepted-symptom.json")));
        assertThat(symptom.unit()).isNull();
        assertThat(symptom.value()).isEqualTo(new ReadingRecorded.Coded("404640003"));
        assertThat(symptom.bloodPressure()).isEmpty();
    }

    @Test
    void aDecisionRecordedBeforeContextsReplaysWithTheReadingAlone() {
        TierRecorded t = TierRecorded.fromDetail(EntryCodec.parseDetail(golden("tier-decided-before-context.json")));
        assertThat(t.context()).isEmpty();
        BloodPressureReading trigger = new BloodPressureReading("obs-7f3a", AT, 152, 95);
        assertThat(t.replayContext(trigger)).isEqualTo(DecisionContext.readingOnly(trigger));
    }

    @Test
    void theRecordedContextReplaysWithTheTriggerAmongItsReadings() {
        TierRecorded t = TierRecorded.fromDetail(EntryCodec.parseDetail(golden("tier-decided.json")));
        BloodPressureReading trigger = new BloodPressureReading("obs-7f3a", Instant.parse("2026-12-03T07:31:12.345Z"),
                152, 95);
        DecisionContext c = t.replayContext(trigger);
        assertThat(c.reading()).isEqualTo(trigger);
        assertThat(c.recent()).hasSize(3);
        assertThat(c.clinical().potassium()).isEqualTo(5.8);
    }

    @Test
    void olderReadingsWithoutSourceOrKindReadAsNotRecorded() {
        ReadingRecorded noSource = ReadingRecorded.fromDetail(EntryCodec.parseDetail(
                golden("observation-accepted-before-source.json")));
        assertThat(noSource.source()).isEmpty();
        assertThat(noSource.kind()).contains("BLOOD_PRESSURE");
        ReadingRecorded noKind = ReadingRecorded.fromDetail(EntryCodec.parseDetail(
                golden("observation-accepted-before-kinds.json")));
        assertThat(noKind.kind()).isEmpty();
        assertThat(noKind.source()).isEmpty();
        assertThat(noKind.bloodPressure()).contains(new BloodPressureReading("obs-7f3a",
                Instant.parse("2026-12-03T07:31:12Z"), 152, 95));
        ReadingRecorded current = ReadingRecorded.fromDetail(EntryCodec.parseDetail(
                golden("observation-accepted-blood-pressure.json")));
        assertThat(current.source()).contains("patient");
        ReadingRecorded potassium = ReadingRecorded.fromDetail(EntryCodec.parseDetail(
                golden("observation-accepted-potassium.json")));
        assertThat(potassium.value()).isEqualTo(new ReadingRecorded.Quantity(5.8));
        assertThat(potassium.warnings()).hasSize(1);
    }

    @Test
    void theWorkflowsRecordOfADecisionIsTheGoldenOne() {
        // The inputs the golden file was generated from (see golden/records/README.md).
        BloodPressureReading trigger = new BloodPressureReading("obs-7f3a", AT.minusSeconds(600), 152.0, 95.0);
        SafetyBounds bounds = new SafetyBounds("demo-lee", 3, ProtocolLimits.HYPERTENSION_ACEI.protocol(), 0, 4, 1, 105,
                0.7, true, 5, 3, "dr.rivera", Instant.parse("2026-11-28T15:04:05.678Z"));
        TierDecision decision = new TierDecision(Tier.NEEDS_APPROVAL,
                List.of(new RuleFiring("Potassium above limit blocks an increase", Tier.BLOCKED,
                                "expected potassium ≤ 5.5 mmol/L, found 5.8 (ehr-system at 2026-12-01T08:00:00Z)"),
                        new RuleFiring("Autonomy not earned", Tier.NEEDS_APPROVAL, "expected 3 approvals in a row, found 1")),
                List.of(new Alert("contraindication", "moderate", "potassium 5.8 mmol/L")), 2, 3,
                "titration-safety@4e50f259fe9fce1b", 3);
        List<BloodPressureReading> history = List.of(
                new BloodPressureReading("obs-7f37", AT.minusSeconds(86400), 149.0, 93.0),
                new BloodPressureReading("obs-7f39", AT.minusSeconds(1200), 151.5, 94.0), trigger);
        DecisionContext context = new DecisionContext(trigger, history, new AutonomyState(1, 3, false),
                new AutoChangeHistory(Instant.parse("2026-11-20T10:00:00.120Z"), 1),
                new ClinicalContext(false, 5.8, 12.5, "dizziness (404640003) at 2026-12-02T21:00:00Z",
                        new ClinicalContext.Provenance("ehr-system at x", "ehr-system at y", null, "patient at z")),
                AT);
        TierRecorded t = TierRecorded.of("5d0c6c2e-8d8e-4f4b-9d51-0b1a2c3d4e5f", decision, bounds, context,
                ProtocolLimits.HYPERTENSION_ACEI);
        assertThat(EntryCodec.canonicalDetail(t.toDetail())).isEqualTo(golden("tier-decided.json"));
    }

    @Test
    void anUnknownRecordVersionIsRefusedByName() {
        Map<String, Object> t = EntryCodec.parseDetail(golden("tier-decided.json"));
        t.put("recordVersion", 3);
        assertThatThrownBy(() -> TierRecorded.fromDetail(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected TIER_DECIDED of record version 1, found version 3; this build does not know"
                        + " how to read it.");
        Map<String, Object> r = EntryCodec.parseDetail(golden("observation-accepted-blood-pressure.json"));
        r.put("recordVersion", 2);
        assertThatThrownBy(() -> ReadingRecorded.fromDetail(r))
                .hasMessageStartingWith("Expected OBSERVATION_ACCEPTED of record version 1, found version 2");
    }

    @Test
    void aMisshapenDetailIsRefusedNamingTheKey() {
        Map<String, Object> t = EntryCodec.parseDetail(golden("tier-decided.json"));
        t.put("tier", "MAYBE");
        assertThatThrownBy(() -> TierRecorded.fromDetail(t))
                .hasMessageStartingWith("Expected TIER_DECIDED.tier to be one of [").hasMessageEndingWith(
                        "found \"MAYBE\".");
        Map<String, Object> r = EntryCodec.parseDetail(golden("observation-accepted-blood-pressure.json"));
        r.remove("systolic");
        r.remove("diastolic");
        assertThatThrownBy(() -> ReadingRecorded.fromDetail(r)).hasMessage("Expected OBSERVATION_ACCEPTED to record"
                + " systolic and diastolic, value or valueCode, found none of them.");
    }
}
