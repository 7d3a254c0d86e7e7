package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.clinloop.approval.SafetyRules;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.AuditQuery;
import org.clinloop.ingest.InvalidInputException;
import org.clinloop.ingest.ObservationIntake;
import org.clinloop.recommendation.ModelRegistry;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CDI, JTA and persistence wiring that unit tests cannot reach, inside the running Liberty
 * server on PostgreSQL: the service WAR plus this class, deployed by Arquillian.
 */
@ExtendWith(ArquillianExtension.class)
class InContainerWiringIT {

    static final Actor TESTER = new Actor("it:in-container", null, Set.of("ehr-system"), null, null);

    @Deployment
    static WebArchive service() {
        File war = new File(System.getProperty("service.war"));
        return ShrinkWrap.create(ZipImporter.class, "clinloop-arquillian.war").importFrom(war).as(WebArchive.class)
                .addClass(InContainerWiringIT.class)
                .addAsLibraries(jarOf(org.assertj.core.api.Assertions.class));
    }

    /** The jar a test-side class came from, to ship it with the deployment. */
    static File jarOf(Class<?> type) {
        try {
            return new File(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Inject
    AuditLog audit;
    @Inject
    ObservationIntake intake;
    @Inject
    ModelRegistry models;
    @Inject
    SafetyRules rules;
    @Inject
    UserTransaction tx;

    @Test
    void anAuditEntryCommitsWithItsDecisionOrNotAtAll() throws Exception {
        tx.begin();
        AuditEntry entry = audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, null, Map.of("probe", "rollback")));
        tx.rollback();

        List<AuditEntry> recent = audit.read(new AuditQuery(null, AuditEventType.AUDIT_READ, 1000));
        assertThat(recent).noneMatch(e -> e.hash().equals(entry.hash()));
        assertThat(audit.verify().intact()).isTrue();
    }

    @Test
    void concurrentAppendsFormOneChainWithoutGapsOrForks() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<AuditEntry>> futures = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int n = i;
            futures.add(pool.submit(() -> audit.append(AuditEvent.of(AuditEventType.AUDIT_READ, TESTER, null,
                    Map.of("probe", "concurrent", "n", n)))));
        }
        List<Long> sequences = new ArrayList<>();
        for (Future<AuditEntry> f : futures) {
            sequences.add(f.get(60, TimeUnit.SECONDS).sequence());
        }
        pool.shutdown();
        assertThat(sequences).doesNotHaveDuplicates();
        var verification = audit.verify();
        assertThat(verification.intact()).as(verification.reason()).isTrue();
    }

    @Test
    void aRefusedReadingLeavesNothingBehind() {
        Observation bad = new Observation();
        bad.setStatus(Observation.ObservationStatus.FINAL);
        bad.setSubject(new Reference("Patient/nobody-here"));
        long before = audit.verify().entriesChecked();

        assertThatThrownBy(() -> intake.accept(bad, TESTER)).isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("Observation.code").hasMessageContaining("Observation.subject");

        assertThat(audit.verify().entriesChecked()).isEqualTo(before);
    }

    @Test
    void theRegistryServesAModelAndTheRulesAreCompiledOnce() {
        assertThat(models.versions()).isNotEmpty();
        assertThat(rules.version()).startsWith("titration-safety@");
    }
}
