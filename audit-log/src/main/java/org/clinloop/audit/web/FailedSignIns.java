package org.clinloop.audit.web;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.audit.SignInFailures;
import org.clinloop.audit.SignInFailures.RefusedBy;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The record of failed sign-ins: the service's own 401s ({@link #refused}, from
 * {@link SignInRefusedPage}) and Keycloak's refused logins (imported from its event store), counted
 * per kind and written as {@code SIGN_IN_FAILED} entries once per window
 * ({@code clinloop.sign-in.window-seconds}, 60): a flood of bad tokens or wrong passwords costs at
 * most {@value SignInFailureTally#KINDS_PER_WINDOW} entries a window, written together in one
 * transaction.
 *
 * <p>Keycloak's events are imported at the start of each window's write when the import client's
 * secret is set ({@code clinloop.sign-in-audit.secret}, environment
 * {@code CLINLOOP_SIGN_IN_AUDIT_SECRET}); without it only the service's refusals are recorded, and
 * start-up says so. The import resumes after the newest Keycloak event the log already holds (read
 * from the log at every window, so a restart or a second instance does not import again what was
 * written; two instances importing in the same second may both record it) and takes only events
 * older than 5 s, so that one Keycloak has not committed yet is never passed over.
 *
 * <p>Counts not yet written when the service stops abruptly are lost (at most one window); counts
 * that could not be written (database down) are carried into the next window.
 */
@ApplicationScoped
public class FailedSignIns {

    private static final Logger LOG = Logger.getLogger(FailedSignIns.class.getName());
    private final org.clinloop.audit.outage.OutageLog outages = new org.clinloop.audit.outage.OutageLog(LOG,
            "Recording failed sign-ins");
    /** Who records the service's own refusals. */
    static final Actor GUARD = Actor.system("sign-in-guard");
    /** Who records Keycloak's refusals. */
    static final Actor KEYCLOAK_IMPORT = Actor.system("keycloak-events");
    /** Keycloak events younger than this are left for the next window: one it has not committed yet is never skipped. */
    static final long SETTLE_MILLIS = 5_000;
    static final int PAGE = 500;
    static final int PAGES_PER_WINDOW = 20;

    @Resource
    ManagedScheduledExecutorService executor;
    @Inject
    AuditLog log;
    @Inject
    @ConfigProperty(name = "clinloop.sign-in.window-seconds", defaultValue = "60")
    int windowSeconds;
    @Inject
    @ConfigProperty(name = "keycloak.url", defaultValue = "http://localhost:8180")
    String keycloakUrl;
    @Inject
    @ConfigProperty(name = "keycloak.realm", defaultValue = "clinloop")
    String realm;
    @Inject
    @ConfigProperty(name = "clinloop.sign-in-audit.client", defaultValue = "clinloop-sign-in-audit")
    String importClient;
    @Inject
    @ConfigProperty(name = "clinloop.sign-in-audit.secret")
    Optional<String> importSecret;

    private final SignInFailureTally tally = new SignInFailureTally();
    private final Clock clock = Clock.systemUTC();
    private KeycloakSignInEvents keycloak;
    private ScheduledFuture<?> task;
    private long importedUpTo = -1;
    private boolean importFailing;

    void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
        if (importSecret.filter(s -> !s.isBlank()).isPresent()) {
            keycloak = new KeycloakSignInEvents(keycloakUrl, realm, importClient, importSecret.get());
            LOG.info(() -> "Failed sign-ins: the service's refusals and Keycloak's (client " + importClient
                    + ") are recorded every " + windowSeconds + " s");
        } else {
            LOG.warning(() -> "Failed sign-ins: only the service's refusals are recorded; set "
                    + "CLINLOOP_SIGN_IN_AUDIT_SECRET (the secret of Keycloak client " + importClient
                    + ") to import Keycloak's refused logins");
        }
        if (windowSeconds > 0) {
            task = executor.scheduleWithFixedDelay(this::closeWindow, windowSeconds, windowSeconds, TimeUnit.SECONDS);
        }
    }

    /** The realm's token issuer, as the service trusts it. */
    public String issuer() {
        return keycloakUrl.replaceAll("/+$", "") + "/realms/" + realm;
    }

    /**
     * Counts a request the service refused with 401.
     *
     * @param request the refused request ({@code GET /fhir/Patient}), without its query
     * @return why it was refused
     */
    public TokenRefusal refused(String authorization, String source, String request) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        TokenRefusal why = TokenRefusal.of(authorization, issuer(), now);
        tally.add(new SignInFailureTally.Kind(RefusedBy.SERVICE, why.reason(), source, null, null), now, request);
        return why;
    }

    /**
     * Counts a request refused with 401 by a check of the service's own other than the realm's
     * token (CDS Hooks: a JWT an EHR signed), under that check's reason word.
     *
     * @param reason  e.g. {@code cds-replayed-jti}
     * @param request the refused request ({@code POST /cds-services/clinloop-patient-view})
     */
    public void refusedByCheck(String reason, String source, String request) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        tally.add(new SignInFailureTally.Kind(RefusedBy.SERVICE, reason, source, null, null), now, request);
    }

    /** Imports Keycloak's new refusals, then writes the window's counts. */
    void closeWindow() {
        try {
            importKeycloak();
        } catch (RuntimeException e) {
            outages.failed(e, Level.WARNING, "could not import Keycloak's failed sign-ins; trying again in "
                    + windowSeconds + " s");
        }
        List<SignInFailures> closed = tally.close();
        if (closed.isEmpty()) {
            return;
        }
        try {
            log.appendAll(closed.stream()
                    .map(f -> f.event(f.refusedBy() == RefusedBy.KEYCLOAK ? KEYCLOAK_IMPORT : GUARD)).toList());
            outages.succeeded();
        } catch (RuntimeException e) {
            tally.restore(closed);
            outages.failed(e, Level.WARNING, "Could not record " + closed.size() + " kind(s) of failed sign-ins; they are"
                    + " counted into the next window");
        }
    }

    private void importKeycloak() {
        if (keycloak == null) {
            return;
        }
        long from = Math.max(importedUpTo, recordedUpTo()) + 1;
        long to = clock.millis() - SETTLE_MILLIS;
        if (to < from) {
            return;
        }
        try {
            int imported = 0;
            for (int page = 0; page < PAGES_PER_WINDOW; page++) {
                List<KeycloakSignInEvents.Event> events = keycloak.between(from, to, page * PAGE, PAGE);
                for (KeycloakSignInEvents.Event e : events) {
                    tally.add(new SignInFailureTally.Kind(RefusedBy.KEYCLOAK, e.error(), e.ipAddress(), e.clientId(),
                            e.username()), Instant.ofEpochMilli(e.time()), null);
                    imported++;
                }
                if (events.size() < PAGE) {
                    importedUpTo = to;
                    break;
                }
                importedUpTo = events.get(events.size() - 1).time();
            }
            if (importFailing) {
                LOG.info("Importing Keycloak's failed sign-ins works again");
                importFailing = false;
            }
            int n = imported;
            LOG.fine(() -> "Imported " + n + " failed sign-in(s) from Keycloak up to " + Instant.ofEpochMilli(to));
        } catch (java.io.IOException e) {
            if (!importFailing) {
                LOG.log(Level.WARNING, "Could not import Keycloak's failed sign-ins (" + e.getMessage()
                        + "); trying again every " + windowSeconds + " s", e);
            }
            importFailing = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The time (epoch ms) of the newest Keycloak refusal the log holds, or 0. */
    private long recordedUpTo() {
        long newest = 0;
        for (AuditEntry e : log.read(new AuditQuery(null, SignInFailures.TYPE, KEYCLOAK_IMPORT.id(), null, null,
                SignInFailureTally.KINDS_PER_WINDOW + 10))) {
            newest = Math.max(newest, SignInFailures.fromEntry(e).lastAt().toEpochMilli());
        }
        return newest;
    }

    @PreDestroy
    void stop() {
        if (task != null) {
            task.cancel(false);
        }
        List<SignInFailures> left = tally.close();
        if (!left.isEmpty()) {
            try {
                log.appendAll(left.stream()
                    .map(f -> f.event(f.refusedBy() == RefusedBy.KEYCLOAK ? KEYCLOAK_IMPORT : GUARD)).toList());
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Could not record " + left.size() + " kind(s) of failed sign-ins at shutdown", e);
            }
        }
    }
}
