package org.clinloop.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.EntryCodec;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * PROPOSAL_MADE details as writers wrote them (golden files, never regenerated) parse into
 * {@link ProposalRecorded} and re-encode to the same canonical bytes, so an entry hashes the same
 * whether it was written through the record or before it existed.
 */
class ProposalRecordedGoldenTest {

    static final String DIR = "/golden/records/";
    static final Instant AT = Instant.parse("2026-12-03T07:41:12.345Z");

    static String golden(String name) {
        try (InputStream in = ProposalRecordedGoldenTest.class.getResourceAsStream(DIR + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static AuditEntry entry(String detailJson) {
        return new AuditEntry(42, 1, AT, AuditEventType.PROPOSAL_MADE, "system:recommendation-engine", "demo-lee",
                detailJson, EntryCodec.GENESIS_HASH, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"proposal-made.json", "proposal-made-before-outbox.json",
            "proposal-made-hold-unexplained.json"})
    void everyGoldenDetailReEncodesToTheSameBytes(String file) {
        String json = golden(file);
        ProposalRecorded parsed = ProposalRecorded.fromDetail(EntryCodec.parseDetail(json));
        String again = EntryCodec.canonicalDetail(parsed.toDetail());
        assertThat(again).isEqualTo(json);
        // The entry around it, the bytes the chain hashes, too.
        AuditEntry recorded = entry(json);
        AuditEntry rewritten = entry(again);
        assertThat(EntryCodec.recomputeHash(rewritten)).isEqualTo(EntryCodec.recomputeHash(recorded));
        assertThat(ProposalRecorded.fromEntry(recorded)).isEqualTo(parsed);
    }

    @Test
    void theCurrentProposalReadsAsTyped() {
        ProposalRecorded p = ProposalRecorded.fromDetail(EntryCodec.parseDetail(golden("proposal-made.json")));
        assertThat(p.proposalId()).isEqualTo("5d0c6c2e-8d8e-4f4b-9d51-0b1a2c3d4e5f");
        assertThat(p.observationId()).isEqualTo("obs-7f3a");
        assertThat(p.direction()).isEqualTo(Direction.INCREASE);
        assertThat(p.steps()).isEqualTo(1);
        assertThat(p.probability()).isEqualTo(0.785);
        assertThat(p.model().id()).isEqualTo("titration-lr-20261201-7");
        assertThat(p.covered()).contains(List.of("obs-7f39", "obs-7f3a"));
        assertThat(p.missingFeatures()).containsExactly("readings_7d", "dbp_last");
        assertThat(p.titrationFeatures().missing()).containsExactlyInAnyOrder("readings_7d", "dbp_last");
        assertThat(p.titrationFeatures().value("sbp_mean_7d")).isEqualTo(100.5);
        assertThat(p.explanation()).get().satisfies(e -> {
            assertThat(e.method()).isEqualTo(Explanation.Method.EXACT_LINEAR);
            assertThat(e.against()).isEqualTo(Direction.HOLD);
            assertThat(e.contributions()).containsEntry("sbp_mean_7d", 1.875);
        });
    }

    @Test
    void anOlderProposalWithoutCoveredReadsAsNotRecordedNotAsEmpty() {
        ProposalRecorded old = ProposalRecorded.fromDetail(EntryCodec.parseDetail(
                golden("proposal-made-before-outbox.json")));
        assertThat(old.covered()).isEmpty();
        ProposalRecorded none = ProposalRecorded.fromDetail(EntryCodec.parseDetail(
                golden("proposal-made-hold-unexplained.json")));
        assertThat(none.covered()).contains(List.of());
    }

    @Test
    void theTextNullOfVersionOneReadsBackAsNoObservation() {
        ProposalRecorded hold = ProposalRecorded.fromDetail(EntryCodec.parseDetail(
                golden("proposal-made-hold-unexplained.json")));
        assertThat(hold.observationId()).isNull();
        assertThat(hold.explanation()).isEmpty();
        assertThat(hold.toDetail()).containsEntry("observation", "null");
    }

    @Test
    void aRecordBuiltFromARecommendationWritesWhatTheWorkflowWrote() {
        // The inputs the golden file was generated from (see golden/records/README.md).
        Map<String, Double> values = new LinkedHashMap<>();
        int i = 0;
        for (String name : FeatureExtractor.FEATURE_NAMES) {
            values.put(name, FeatureExtractor.isBinary(name) ? (i % 2) : 100.5 + i * 3.25);
            i++;
        }
        ModelVersion model = new ModelVersion("titration-lr-20261201-7", "logistic-regression", ModelStatus.ACTIVE,
                "3f1c0a9be2d84f7c9a1e5b6d7c8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f",
                "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b", 7L, AT.minusSeconds(86400 * 2),
                Map.of("accuracy", 0.91), "steward", AT.minusSeconds(86400));
        Map<Direction, Double> p = Map.of(Direction.DECREASE, 0.2, Direction.HOLD, 0.7, Direction.INCREASE, 0.1);
        Recommendation hold = new Recommendation("demo-lee", Direction.HOLD, 0, 0.7, p,
                new TitrationFeatures(values, Set.of()), "00aa", model, "Hold.", null);
        ProposalRecorded r = ProposalRecorded.of("prop-hold-1", new BloodPressureReading(null, AT, 128.0, 81.0), hold,
                List.of());
        assertThat(EntryCodec.canonicalDetail(r.toDetail())).isEqualTo(golden("proposal-made-hold-unexplained.json"));
    }

    @Test
    void anUnknownRecordVersionIsRefusedByName() {
        Map<String, Object> d = EntryCodec.parseDetail(golden("proposal-made.json"));
        d.put("recordVersion", 2);
        assertThatThrownBy(() -> ProposalRecorded.fromDetail(d)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected PROPOSAL_MADE of record version 1, found version 2; this build does not know"
                        + " how to read it.");
        d.put("recordVersion", 1);
        assertThat(ProposalRecorded.fromDetail(d).proposalId()).isEqualTo("5d0c6c2e-8d8e-4f4b-9d51-0b1a2c3d4e5f");
    }

    @Test
    void aMisshapenDetailIsRefusedNamingTheKey() {
        Map<String, Object> d = EntryCodec.parseDetail(golden("proposal-made.json"));
        d.put("steps", "one");
        assertThatThrownBy(() -> ProposalRecorded.fromDetail(d))
                .hasMessage("Expected PROPOSAL_MADE.steps to be a whole number, found \"one\" (String).");
        Map<String, Object> noModel = EntryCodec.parseDetail(golden("proposal-made.json"));
        noModel.remove("model");
        assertThatThrownBy(() -> ProposalRecorded.fromDetail(noModel)).hasMessageStartingWith(
                "Expected PROPOSAL_MADE.model to be an object, found no such key");
    }

    @Test
    void anEntryOfAnotherKindIsRefused() {
        AuditEntry tier = new AuditEntry(7, 1, AT, AuditEventType.TIER_DECIDED, "x", "p", "{}", EntryCodec.GENESIS_HASH, "");
        assertThatThrownBy(() -> ProposalRecorded.fromEntry(tier))
                .hasMessage("Expected a PROPOSAL_MADE entry, found TIER_DECIDED (entry 7).");
    }

    @Test
    void absentOptionalsAreNeverNull() {
        assertThatThrownBy(() -> new ProposalRecorded("p", null, "h", Map.of(), List.of(),
                new ProposalRecorded.Model("m", "a", "b", "c"), Direction.HOLD, 0, Map.of(Direction.HOLD, 1.0), "r",
                Optional.empty(), null)).isInstanceOf(NullPointerException.class);
    }
}
