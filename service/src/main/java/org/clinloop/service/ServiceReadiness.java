package org.clinloop.service;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.clinloop.approval.DecisionReplay;
import org.clinloop.approval.SafetyRules;
import org.clinloop.audit.Actor;
import org.clinloop.audit.outage.OutageLog;
import org.clinloop.recommendation.ModelRegistry;
import org.clinloop.recommendation.ModelTraining;
import org.clinloop.recommendation.ModelVersion;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Brings the service to readiness: schema migrated (as the migration role, which then grants the
 * runtime role its privileges), safety rules compiled, the FHIR profile
 * validator warmed up, and at least one model version registered (a CANDIDATE trained from the seeded cohort; activating it needs a
 * model steward). When the database is down at start-up the service stays up but not ready,
 * says why on {@code /health/ready}, and tries again on every probe and every
 * {@value #RETRY_SECONDS} s on its own (issue 17): it becomes ready, and starts its decision
 * workers and audit sequencer, once the database answers, without a restart and without anyone
 * probing. Flyway does not retry a connection itself ({@code connectRetries} 0); these attempts do.
 */
@ApplicationScoped
public class ServiceReadiness {

    private static final Logger LOG = Logger.getLogger(ServiceReadiness.class.getName());
    static final int RETRY_SECONDS = 2;
    private final OutageLog outages = new OutageLog(LOG, "Start-up");

    @Resource(lookup = "jdbc/clinloop")
    DataSource dataSource;
    /** The migration role's: used here only, to migrate and then grant the runtime role its privileges. */
    @Resource(lookup = "jdbc/clinloopMigration")
    DataSource migrationDataSource;
    @Resource
    ManagedScheduledExecutorService executor;
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
    private boolean warmedUp;
    private volatile String problem = "not started";
    private volatile List<String> schema = List.of();
    private ScheduledFuture<?> retry;

    /** Idempotent; returns whether the service is ready. */
    public synchronized boolean ensureReady() {
        if (ready) {
            return true;
        }
        try {
            if (!warmedUp) {
                // The profile validator reads and converts the R4 definitions once (seconds): before the
                // first reading, not during it, and before the database steps, which it does not need,
                // so that a start-up waiting for the database is ready soon after it answers.
                profiles.warmUp();
                warmedUp = true;
            }
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
            ready = true;
            problem = null;
            audit.start(); // the audit outbox's tables exist now
            decisionWorker.start(); // and the decision outbox's
            outages.succeeded();
            if (retry != null) {
                retry.cancel(false);
                retry = null;
            }
            LOG.info("ClinLoop is ready");
        } catch (RuntimeException | java.sql.SQLException e) {
            problem = e.getClass().getSimpleName() + ": " + e.getMessage();
            if (outages.outage(e)) {
                problem = "the database is unavailable (" + problem + "); trying again every " + RETRY_SECONDS + " s";
            } else {
                LOG.log(Level.SEVERE, "ClinLoop is not ready: " + problem, e);
            }
            retryUntilReady();
        }
        return ready;
    }

    /** Tries again on a timer until ready, so that nobody has to probe the service into readiness. */
    private void retryUntilReady() {
        if (retry != null || executor == null) {
            return;
        }
        try {
            retry = executor.scheduleWithFixedDelay(this::ensureReady, RETRY_SECONDS, RETRY_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException shuttingDown) {
            // the next probe tries again
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (retry != null) {
            retry.cancel(false);
        }
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
