package org.clinloop.service;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.clinloop.approval.DecisionReplay;
import org.clinloop.approval.SafetyRules;
import org.clinloop.audit.Actor;
import org.clinloop.recommendation.ModelRegistry;
import org.clinloop.recommendation.ModelTraining;
import org.clinloop.recommendation.ModelVersion;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Brings the service to readiness: schema migrated (as the migration role, which then grants the
 * runtime role its privileges), safety rules compiled, the FHIR profile
 * validator warmed up, and at least one model version registered (a CANDIDATE trained from the seeded cohort; activating it needs a
 * model steward). When the database is down at start-up the service stays up but not ready,
 * says why on {@code /health/ready}, and tries again on every probe.
 */
@ApplicationScoped
public class ServiceReadiness {

    private static final Logger LOG = Logger.getLogger(ServiceReadiness.class.getName());

    @Resource(lookup = "jdbc/clinloop")
    DataSource dataSource;
    /** The migration role's: used here only, to migrate and then grant the runtime role its privileges. */
    @Resource(lookup = "jdbc/clinloopMigration")
    DataSource migrationDataSource;
    @Inject
    ModelRegistry registry;
    @Inject
    ModelTraining training;
    @Inject
    SafetyRules rules;
    @Inject
    DecisionReplay replay;
    @Inject
    org.clinloop.ingest.ProfileCheck profiles;
    @Inject
    org.clinloop.approval.DecisionWorker decisionWorker;
    @Inject
    org.clinloop.audit.AuditLog audit;
    @Inject
    @ConfigProperty(name = "clinloop.model.bootstrap-seed", defaultValue = "20261123")
    long bootstrapSeed;

    private volatile boolean ready;
    private volatile String problem = "not started";
    private volatile List<String> schema = List.of();

    /** Idempotent; returns whether the service is ready. */
    public synchronized boolean ensureReady() {
        if (ready) {
            return true;
        }
        try {
            schema = SchemaMigrations.migrate(migrationDataSource, getClass().getClassLoader());
            RuntimeGrants.apply(migrationDataSource, dataSource);
            replay.registerRules(rules);
            LOG.info(() -> "Safety rules " + rules.version() + " compiled and stored for replay");
            List<ModelVersion> versions = registry.versions();
            if (versions.isEmpty()) {
                ModelVersion v = training.trainCandidate(bootstrapSeed, Actor.system("model-bootstrap"));
                LOG.info(() -> "Registered first model candidate " + v.id() + " (seed " + bootstrapSeed + ", metrics "
                        + v.metrics() + "); a model steward must activate it");
            }
            // The profile validator reads and converts the R4 definitions once (seconds): before the
            // first reading, not during it.
            profiles.warmUp();
            ready = true;
            problem = null;
            audit.start(); // the audit outbox's tables exist now
            decisionWorker.start(); // and the decision outbox's
        } catch (RuntimeException | java.sql.SQLException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            LOG.log(Level.SEVERE, "ClinLoop is not ready: " + problem, e);
        }
        return ready;
    }

    public String problem() {
        return problem;
    }

    public List<String> schema() {
        return schema;
    }

    public String rulesVersion() {
        return rules.version();
    }
}
