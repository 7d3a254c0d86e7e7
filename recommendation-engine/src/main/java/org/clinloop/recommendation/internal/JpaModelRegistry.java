package org.clinloop.recommendation.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.CallerText;
import org.clinloop.recommendation.ClinicianFeedback;
import org.clinloop.recommendation.FeedbackLog;
import org.clinloop.recommendation.ModelRegistry;
import org.clinloop.recommendation.ModelStatus;
import org.clinloop.recommendation.ModelVersion;
import org.clinloop.recommendation.PromotionGates;
import org.clinloop.recommendation.PromotionRefusedException;
import org.clinloop.recommendation.TitrationModel;
import org.clinloop.recommendation.TrainedModel;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.protos.core.ModelProto;

/** {@link ModelRegistry} in the shared database; the active model is deserialized once per version. */
@ApplicationScoped
public class JpaModelRegistry implements ModelRegistry {

    static final String MODEL_STEWARD = "model-steward";
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(JpaModelRegistry.class.getName());

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;
    @Inject
    FeedbackLog feedback;

    @Inject
    AuditLog audit;
    @Inject
    @ConfigProperty(name = "clinloop.promotion.min-group-size", defaultValue = "100")
    int minGroupSize = PromotionGates.DEFAULT.minGroupSize();
    @Inject
    @ConfigProperty(name = "clinloop.promotion.max-group-gap", defaultValue = "0.05")
    double maxGroupGap = PromotionGates.DEFAULT.maxGroupGap();
    @Inject
    @ConfigProperty(name = "clinloop.promotion.max-group-regression", defaultValue = "0.05")
    double maxGroupRegression = PromotionGates.DEFAULT.maxGroupRegression();

    @Inject
    Clock clock;

    private volatile TitrationModel cached;
    private final Map<String, TitrationModel> shadowCache = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    @Transactional
    public ModelVersion register(TrainedModel trained, Actor registeredBy) {
        long count = em.createQuery("select count(m) from ModelVersionRow m", Long.class).getSingleResult();
        int ordinal = (int) count + 1;
        String id = "titration-lr-" + ordinal;
        ModelVersionRow row = new ModelVersionRow(id, ordinal, trained.algorithm(), trained.provenanceJson(),
                trained.provenanceHash(), trained.datasetHash(), trained.seed(), trained.trainedAt(), trained.metrics(),
                trained.model().serialize().toByteArray(), registeredBy.id());
        if (trained.magnitude() != null) {
            row.magnitudeProto(trained.magnitude().serialize().toByteArray());
        }
        em.persist(row);
        em.flush();
        feedback.link(id, trained.feedback());
        ModelVersion version = row.toVersion();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("model", id);
        detail.put("algorithm", trained.algorithm());
        detail.put("provenanceHash", trained.provenanceHash());
        detail.put("datasetHash", trained.datasetHash());
        detail.put("seed", trained.seed());
        detail.put("metrics", trained.metrics());
        if (!trained.feedback().isEmpty()) {
            detail.put("feedback", Map.of("proposals", trained.feedback().examples().stream()
                    .map(ClinicianFeedback::proposalId).toList(), "weight", trained.feedback().weight()));
        }
        audit.append(AuditEvent.of(AuditEventType.MODEL_REGISTERED, registeredBy, null, detail));
        return version;
    }

    /**
     * The promotion gates: metric floors as {@link PromotionGates#DEFAULT}; the per-group tolerances
     * from configuration ({@code clinloop.promotion.min-group-size}, {@code .max-group-gap},
     * {@code .max-group-regression}).
     */
    PromotionGates gates() {
        PromotionGates d = PromotionGates.DEFAULT;
        return new PromotionGates(d.minAccuracy(), d.minMacroF1(), d.minRecall(), d.maxEce(), minGroupSize, maxGroupGap,
                maxGroupRegression);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A refusal is itself recorded ({@code MODEL_ACTIVATION_REFUSED}, with every gate check)
     * and committed: the exception does not roll the transaction back, and nothing else has
     * changed by then.
     */
    @Override
    @Transactional(dontRollbackOn = PromotionRefusedException.class)
    public ModelVersion activate(String versionId, Actor steward) {
        ModelVersionRow row = em.find(ModelVersionRow.class, versionId, LockModeType.PESSIMISTIC_WRITE);
        if (row == null) {
            throw refused(versionId, steward, List.of("expected a registered model version, found none"), List.of(),
                    null);
        }
        List<ModelVersionRow> activeRows = em.createQuery(
                "select m from ModelVersionRow m where m.status = :s", ModelVersionRow.class)
                .setParameter("s", ModelStatus.ACTIVE).setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        Optional<ModelVersion> current = activeRows.stream().map(ModelVersionRow::toVersion).findFirst();
        List<String> refusals = new ArrayList<>();
        if (!steward.hasRole(MODEL_STEWARD)) {
            refusals.add("expected sign-off by a model steward, found " + steward.id() + " with roles " + steward.roles());
        }
        TitrationModel.featureMismatch(deserialize(row)).ifPresent(refusals::add);
        if (row.status() == ModelStatus.RETIRED || row.status() == ModelStatus.ACTIVE) {
            refusals.add("expected a CANDIDATE or SHADOW version, found " + row.status());
        }
        ModelVersion candidate = row.toVersion();
        List<PromotionGates.Check> checks = gates().checks(candidate, current);
        checks.stream().filter(c -> !c.passed()).map(PromotionGates.Check::message).forEach(refusals::add);
        String comparedWith = current.map(ModelVersion::id).orElse(null);
        if (!refusals.isEmpty()) {
            throw refused(versionId, steward, refusals, checks, comparedWith);
        }
        String previous = null;
        for (ModelVersionRow active : activeRows) {
            active.retire();
            previous = active.id();
        }
        row.activate(steward.id(), clock.instant());
        ModelVersion version = row.toVersion();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("model", versionId);
        detail.put("provenanceHash", version.provenanceHash());
        detail.put("gates", gates());
        detail.put("gateChecks", checks);
        detail.put("comparedWith", String.valueOf(comparedWith));
        detail.put("metrics", version.metrics());
        detail.put("signedOffBy", steward.id());
        detail.put("retired", String.valueOf(previous));
        audit.append(AuditEvent.of(AuditEventType.MODEL_ACTIVATED, steward, null, detail));
        return version;
    }

    /** Records a refused activation (committed with the caller's transaction) and returns the exception to throw. */
    private PromotionRefusedException refused(String versionId, Actor steward, List<String> reasons,
                                              List<PromotionGates.Check> checks, String comparedWith) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("model", versionId);
        detail.put("reasons", reasons);
        detail.put("gates", gates());
        detail.put("gateChecks", checks);
        detail.put("comparedWith", String.valueOf(comparedWith));
        detail.put("requestedBy", steward.id());
        audit.append(AuditEvent.of(AuditEventType.MODEL_ACTIVATION_REFUSED, steward, null, detail));
        return new PromotionRefusedException(versionId, reasons);
    }

    @Override
    @Transactional
    public ModelVersion shadow(String versionId, Actor steward) {
        ModelVersionRow row = em.find(ModelVersionRow.class, versionId, LockModeType.PESSIMISTIC_WRITE);
        List<String> refusals = new ArrayList<>();
        if (row == null) {
            throw new PromotionRefusedException(versionId, List.of("expected a registered model version, found none"));
        }
        if (!steward.hasRole(MODEL_STEWARD)) {
            refusals.add("expected a model steward, found " + steward.id() + " with roles " + steward.roles());
        }
        if (row.status() != ModelStatus.CANDIDATE) {
            refusals.add("expected a CANDIDATE version, found " + row.status());
        }
        if (!refusals.isEmpty()) {
            throw new PromotionRefusedException(versionId, refusals);
        }
        row.shadow();
        ModelVersion version = row.toVersion();
        audit.append(AuditEvent.of(AuditEventType.MODEL_SHADOWED, steward, null, Map.of(
                "model", versionId, "provenanceHash", version.provenanceHash())));
        return version;
    }

    @Override
    @Transactional
    public ModelVersion rollback(Actor steward, String reason) {
        List<String> refusals = new ArrayList<>();
        if (!steward.hasRole(MODEL_STEWARD)) {
            refusals.add("expected a model steward, found " + steward.id() + " with roles " + steward.roles());
        }
        if (reason == null || reason.isBlank()) {
            refusals.add("expected a reason for the rollback, found none");
        }
        List<ModelVersionRow> active = em.createQuery("select m from ModelVersionRow m where m.status = :s",
                ModelVersionRow.class).setParameter("s", ModelStatus.ACTIVE)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        if (active.isEmpty()) {
            refusals.add("expected an ACTIVE version to roll back, found none");
        }
        List<ModelVersionRow> previous = em.createQuery("select m from ModelVersionRow m where m.status = :s"
                + " and m.activatedAt is not null order by m.activatedAt desc", ModelVersionRow.class)
                .setParameter("s", ModelStatus.RETIRED).setMaxResults(1)
                .setLockMode(LockModeType.PESSIMISTIC_WRITE).getResultList();
        if (previous.isEmpty()) {
            refusals.add("expected a previously ACTIVE version to return to, found none");
        }
        if (!refusals.isEmpty()) {
            throw new PromotionRefusedException(active.isEmpty() ? "(none)" : active.get(0).id(), refusals);
        }
        ModelVersionRow from = active.get(0);
        from.retire();
        ModelVersionRow to = previous.get(0);
        to.reinstate();
        ModelVersion version = to.toVersion();
        audit.append(AuditEvent.of(AuditEventType.MODEL_ROLLED_BACK, steward, null, Map.of(
                "from", from.id(), "to", to.id(), "provenanceHash", version.provenanceHash(), "reason", CallerText.capped(reason))));
        return version;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TitrationModel> shadows() {
        List<TitrationModel> out = new ArrayList<>();
        for (String id : em.createQuery("select m.id from ModelVersionRow m where m.status = :s order by m.ordinal",
                String.class).setParameter("s", ModelStatus.SHADOW).getResultList()) {
            TitrationModel loaded = shadowCache.get(id);
            if (loaded == null) {
                Optional<TitrationModel> servable = servable(id, "SHADOW", java.util.logging.Level.WARNING);
                if (servable.isEmpty()) {
                    continue;
                }
                loaded = servable.get();
                shadowCache.put(id, loaded);
            }
            out.add(loaded);
        }
        return out;
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<TitrationModel> active() {
        // The id only: the row (provenance, protobufs, metrics) is loaded, and dirty-checked, only
        // when the ACTIVE version changed since the last call.
        List<String> ids = em.createQuery("select m.id from ModelVersionRow m where m.status = :s", String.class)
                .setParameter("s", ModelStatus.ACTIVE).getResultList();
        if (ids.isEmpty()) {
            return Optional.empty();
        }
        TitrationModel current = cached;
        if (current == null || !current.version().id().equals(ids.get(0))) {
            // Deny by default: no proposals (PROPOSAL_SKIPPED) rather than a model reading unknown features as 0.
            Optional<TitrationModel> servable = servable(ids.get(0), "ACTIVE", java.util.logging.Level.SEVERE);
            if (servable.isEmpty()) {
                return Optional.empty();
            }
            current = servable.get();
            cached = current;
        }
        return Optional.of(current);
    }

    /**
     * A version loaded to score live traffic in {@code role}, unless it was trained on other
     * features than this build computes (logged at {@code level}, and empty).
     */
    private Optional<TitrationModel> servable(String id, String role, java.util.logging.Level level) {
        ModelVersionRow row = em.find(ModelVersionRow.class, id);
        Model<Label> model = deserialize(row);
        Optional<String> mismatch = TitrationModel.featureMismatch(model);
        if (mismatch.isPresent()) {
            LOG.log(level, role + " version " + id + " does not score: " + mismatch.get());
            return Optional.empty();
        }
        return Optional.of(new TitrationModel(model, magnitude(row), row.toVersion()));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<ModelVersion> find(String versionId) {
        return Optional.ofNullable(em.find(ModelVersionRow.class, versionId)).map(ModelVersionRow::toVersion);
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<GateReport> gates(String versionId) {
        Optional<ModelVersion> candidate = find(versionId);
        if (candidate.isEmpty()) {
            return Optional.empty();
        }
        Optional<ModelVersion> active = em.createQuery("select m from ModelVersionRow m where m.status = :s",
                        ModelVersionRow.class).setParameter("s", ModelStatus.ACTIVE).getResultList().stream()
                .map(ModelVersionRow::toVersion).findFirst();
        return Optional.of(new GateReport(versionId, active.map(ModelVersion::id).orElse(null),
                gates().checks(candidate.get(), active)));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<TitrationModel> load(String versionId) {
        TitrationModel current = cached;
        if (current != null && current.version().id().equals(versionId)) {
            return Optional.of(current);
        }
        return Optional.ofNullable(em.find(ModelVersionRow.class, versionId))
                .map(row -> new TitrationModel(deserialize(row), magnitude(row), row.toVersion()));
    }

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<ModelVersion> versions() {
        return em.createQuery("select m from ModelVersionRow m order by m.ordinal desc", ModelVersionRow.class)
                .getResultList().stream().map(ModelVersionRow::toVersion).toList();
    }

    private static Model<Label> deserialize(ModelVersionRow row) {
        return deserialize(row.id(), row.modelProto());
    }

    /** The version's step classifier, or null when it has none (it proposes one step). */
    private static Model<Label> magnitude(ModelVersionRow row) {
        byte[] proto = row.magnitudeProto();
        return proto == null ? null : deserialize(row.id(), proto);
    }

    @SuppressWarnings("unchecked")
    private static Model<Label> deserialize(String id, byte[] proto) {
        try {
            return (Model<Label>) Model.deserialize(ModelProto.parseFrom(proto));
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("Model " + id + " cannot be read back: " + e.getMessage(), e);
        }
    }
}
