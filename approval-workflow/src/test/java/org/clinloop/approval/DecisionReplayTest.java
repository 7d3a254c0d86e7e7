package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.ChainVerification;
import org.clinloop.audit.ConsistencyProof;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.InclusionProof;
import org.clinloop.audit.SignedTreeHead;
import org.clinloop.audit.TreeHeadKey;
import org.clinloop.recommendation.BloodPressureReading;
import org.clinloop.recommendation.ModelRegistry;
import org.clinloop.recommendation.ModelStatus;
import org.clinloop.recommendation.ModelTrainer;
import org.clinloop.recommendation.ModelVersion;
import org.clinloop.recommendation.PatientSnapshot;
import org.clinloop.recommendation.ProposalRecorded;
import org.clinloop.recommendation.Recommendation;
import org.clinloop.recommendation.Recommender;
import org.clinloop.recommendation.SyntheticCohort;
import org.clinloop.recommendation.TitrationModel;
import org.clinloop.recommendation.TrainedModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A decision recorded the way the workflow records it replays to the same outcome, and any drift is reported. */
class DecisionReplayTest {

    static final Actor COMPLIANCE = new Actor("compliance", null, Set.of("compliance-officer"), null, null);
    static final Instant AT = Instant.parse("2026-11-20T08:00:00Z");

    /** Just enough of an audit log: appends and reads by patient and type. */
    static final class MemoryLog implements AuditLog {
        final List<AuditEntry> entries = new ArrayList<>();

        @Override
        public void append(AuditEvent e) {
            entries.add(new AuditEntry(entries.size() + 1, 1, AT, e.type(), e.actor().id(), e.patientId(),
                    EntryCodec.canonicalDetail(e.detail()), "", ""));
        }

        @Override
        public void appendAll(List<AuditEvent> events) {
            events.forEach(this::append);
        }

        @Override
        public void start() {
        }

        @Override
        public org.clinloop.audit.AuditBacklog backlog() {
            return new org.clinloop.audit.AuditBacklog(0, null);
        }

        @Override
        public List<AuditEntry> read(AuditQuery q) {
            return entries.stream().filter(e -> q.patient().map(p -> p.equals(e.patientId())).orElse(true))
                    .filter(e -> q.eventType().map(t -> t == e.type()).orElse(true)).toList();
        }

        @Override
        public ChainVerification verify() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<AuditEntry> entry(long sequence) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void forEach(long from, long to, Consumer<AuditEntry> sink) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SignedTreeHead treeHead() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<String> signingRefusal() {
            return Optional.empty();
        }

        @Override
        public List<SignedTreeHead> treeHeads(int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public TreeHeadKey signingKey() {
            throw new UnsupportedOperationException();
        }

        @Override
        public InclusionProof inclusionProof(long sequence, long treeSize) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ConsistencyProof consistencyProof(long first, long second) {
            throw new UnsupportedOperationException();
        }
    }

    static TitrationModel model(long seed) {
        TrainedModel t = ModelTrainer.train(SyntheticCohort.generate(seed, 600, 0.03), seed, "replay test");
        return new TitrationModel(t.model(), new ModelVersion("m-1", t.algorithm(), ModelStatus.ACTIVE, t.provenanceHash(),
                t.datasetHash(), seed, AT, t.metrics(), null, null));
    }

    static final TitrationModel RECORDED = model(1);
    MemoryLog log;
    DecisionReplay replay;
    TitrationModel served;
    String storedRules;

    @BeforeEach
    void record() {
        SafetyRules rules = SafetyRules.standard();
        log = new MemoryLog();
        served = RECORDED;
        storedRules = rules.drl();
        BloodPressureReading reading = new BloodPressureReading("obs-1", AT, 152, 95);
        PatientSnapshot snapshot = new PatientSnapshot("p-1", AT, List.of(reading), 1, 4);
        Recommendation rec = Recommender.recommend(RECORDED, snapshot);
        SafetyBounds bounds = new SafetyBounds("p-1", 2, ProtocolLimits.HYPERTENSION_ACEI.protocol(), 0, 3, 1, 100, 0.6,
                true, 7, 2, "dr.rivera", AT.minusSeconds(86400));
        DecisionContext context = new DecisionContext(reading, List.of(reading), new AutonomyState(3, 3, true),
                AutoChangeHistory.NONE, ClinicalContext.UNKNOWN, AT);
        TierDecision decision = rules.evaluate(new ProposedStep(1, 1 + rec.stepChange(), rec.probability()), bounds,
                ProtocolLimits.HYPERTENSION_ACEI, context);
        log.append(AuditEvent.of(ReadingRecorded.TYPE, Actor.system("t"), "p-1", ReadingRecorded.accepted("obs-1",
                "BLOOD_PRESSURE", "http://loinc.org|85354-9", AT, "ehr-system", new ReadingRecorded.Pressure(152, 95),
                "mm[Hg]", "00", List.of()).toDetail()));
        log.append(AuditEvent.of(ProposalRecorded.TYPE, Actor.system("t"), "p-1",
                ProposalRecorded.of("prop-1", reading, rec, List.of("obs-1")).toDetail()));
        log.append(AuditEvent.of(TierRecorded.TYPE, Actor.system("t"), "p-1",
                TierRecorded.of("prop-1", decision, bounds, context, ProtocolLimits.HYPERTENSION_ACEI).toDetail()));

        replay = new DecisionReplay();
        replay.audit = log;
        replay.clock = Clock.fixed(AT, ZoneOffset.UTC);
        replay.current = SafetyRules.standard();
        replay.store = new WorkflowStore() {
            @Override
            public Optional<String> proposalPatient(String proposalId) {
                return "prop-1".equals(proposalId) ? Optional.of("p-1") : Optional.empty();
            }

            @Override
            public Optional<String> ruleSet(String version) {
                return Optional.of(storedRules);
            }
        };
        replay.models = new ModelRegistry() {
            @Override
            public Optional<TitrationModel> load(String id) {
                return Optional.of(served);
            }

            @Override
            public ModelVersion register(TrainedModel trained, Actor by) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ModelVersion activate(String id, Actor steward) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<TitrationModel> active() {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<ModelVersion> find(String id) {
                throw new UnsupportedOperationException();
            }

            @Override
            public Optional<GateReport> gates(String id) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<ModelVersion> versions() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ModelVersion shadow(String id, Actor steward) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ModelVersion rollback(Actor steward, String reason) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<TitrationModel> shadows() {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void aRecordedDecisionReplaysToTheSameOutcome() {
        DecisionReplay.Report r = replay.replay("prop-1", COMPLIANCE);
        assertThat(r.differences()).isEmpty();
        assertThat(r.matches()).isTrue();
        assertThat(r.replayed().get("tier")).isEqualTo("AUTO");
        assertThat(log.entries.get(log.entries.size() - 1).type()).isEqualTo(AuditEventType.DECISION_REPLAYED);
    }

    @Test
    void aDifferentModelBehindTheSameIdIsReported() {
        served = model(2);
        DecisionReplay.Report r = replay.replay("prop-1", COMPLIANCE);
        assertThat(r.matches()).isFalse();
        assertThat(r.differences()).anyMatch(d -> d.startsWith("model provenance"))
                .anyMatch(d -> d.startsWith("probability of"));
    }

    @Test
    void rulesThatChangedUnderTheSameVersionAreReported() {
        replay.current = new SafetyRules(SafetyRules.standard().drl() + "\n// a different text, a different version\n");
        storedRules = """
                package org.clinloop.approval.rules;
                import org.clinloop.approval.Tier;
                import org.clinloop.approval.internal.ProposalFact;
                global org.clinloop.approval.internal.Verdicts verdicts;
                rule "Always ask" when ProposalFact() then verdicts.vote("Always ask", Tier.NEEDS_APPROVAL, "x"); end
                """;
        DecisionReplay.Report r = replay.replay("prop-1", COMPLIANCE);
        assertThat(r.matches()).isFalse();
        assertThat(r.differences()).anyMatch(d -> d.startsWith("tier: recorded AUTO, replayed NEEDS_APPROVAL"))
                .anyMatch(d -> d.startsWith("rules fired"));
    }
}
