package org.clinloop.audit.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.EntryCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Durable appends to the audit log on PostgreSQL against the limit, a plain INSERT of the same
 * canonical bytes and a commit. {@code stageDurably} is what the work being recorded pays (stage
 * the event, commit); {@code stageAndChain} adds the sequencer's share (lock the head row, hash,
 * insert the entries, remove the staged events, commit). {@code perCommit} 1 is one decision per
 * transaction (fsync-bound); 100 shows the CPU and statement cost once commits are amortised.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AppendBenchmark {

    static final String DB = "clinloop_bench_append";

    @Param({"1", "100"})
    int perCommit;

    EntityManagerFactory emf;
    EntityManager em;
    JpaAuditLog log;
    AuditStore store;
    Connection plain;
    PreparedStatement insert;
    AuditEvent event;
    byte[] bytes;
    long plainSequence;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        AuditBenchSupport.freshDatabase(DB);
        emf = AuditBenchSupport.entityManagerFactory(DB);
        em = emf.createEntityManager();
        log = AuditBenchSupport.log(em);
        store = new AuditStore();
        store.em = em;
        plain = AuditBenchSupport.connect(DB);
        try (Statement st = plain.createStatement()) {
            st.execute("CREATE TABLE plain_entry (sequence_no BIGINT PRIMARY KEY, entry VARCHAR(1048576) NOT NULL)");
        }
        plain.setAutoCommit(false);
        insert = plain.prepareStatement("INSERT INTO plain_entry (sequence_no, entry) VALUES (?, ?)");
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("proposal", "5f0c1d2e-9a7b-4c3d-8e1f-0a2b3c4d5e6f");
        detail.put("tier", "NEEDS_APPROVAL");
        detail.put("fromStep", 2);
        detail.put("toStep", 3);
        detail.put("rulesFired", List.of(Map.of("rule", "Autonomy not enabled", "verdict", "NEEDS_APPROVAL",
                "reason", "bounds v1 allow no automatic change: a clinician approves every change")));
        detail.put("rulesVersion", "titration-safety@00e8a12ede73a1f4");
        detail.put("boundsVersion", 1);
        event = AuditEvent.of(AuditEventType.TIER_DECIDED, Actor.system("approval-workflow"), "demo-jones", detail);
        bytes = EntryCodec.canonicalEntry(1, 1, Instant.now(), event.type(), event.actor().id(), event.patientId(),
                EntryCodec.canonicalDetail(detail));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        em.close();
        emf.close();
        plain.close();
    }

    @Benchmark
    public int stageDurably() {
        em.getTransaction().begin();
        for (int i = 0; i < perCommit; i++) {
            log.append(event);
        }
        em.getTransaction().commit();
        em.clear();
        return perCommit;
    }

    @Benchmark
    public int stageAndChain() {
        stageDurably();
        em.getTransaction().begin();
        int chained = store.chainStaged(AuditSequencer.BATCH);
        em.getTransaction().commit();
        em.clear();
        return chained;
    }

    @Benchmark
    public long limitPlainInsert() throws Exception {
        for (int i = 0; i < perCommit; i++) {
            insert.setLong(1, ++plainSequence);
            insert.setString(2, new String(bytes, StandardCharsets.UTF_8));
            insert.executeUpdate();
        }
        plain.commit();
        return plainSequence;
    }
}
