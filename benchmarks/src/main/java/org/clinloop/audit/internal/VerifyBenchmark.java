package org.clinloop.audit.internal;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditExport;
import org.clinloop.audit.ChainVerification;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.MerkleTree;
import org.clinloop.audit.SignedTreeHead;
import org.clinloop.audit.TreeHeadKey;
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
 * Full verification of a million-entry log (from PostgreSQL, and offline from an export file)
 * against the limit: SHA-256 of the same canonical bytes twice (one chain hash, one leaf hash).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgs = {"-Xms3g", "-Xmx3g"})
public class VerifyBenchmark {

    static final String DB = "clinloop_bench_verify";

    @Param("1000000")
    int entries;

    byte[][] canonical;
    EntityManagerFactory emf;
    Path export;

    @Setup(Level.Trial)
    public void populate() throws Exception {
        AuditBenchSupport.freshDatabase(DB);
        canonical = new byte[entries][];
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        String previous = EntryCodec.GENESIS_HASH;
        MerkleTree.Frontier frontier = new MerkleTree.Frontier();
        export = Files.createTempFile("clinloop-audit-bench", ".ndjson");
        Path body = Files.createTempFile("clinloop-audit-bench", ".entries");
        java.security.KeyPair keys = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        try (Connection c = AuditBenchSupport.connect(DB);
             BufferedWriter lines = Files.newBufferedWriter(body, StandardCharsets.UTF_8)) {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("ALTER TABLE audit_entry DISABLE TRIGGER USER");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_entry (sequence_no, format_version,"
                    + " recorded_at, event_type, actor_id, patient_id, detail, previous_hash, entry_hash)"
                    + " VALUES (?,1,?,?,?,?,?,?,?)")) {
                for (int i = 0; i < entries; i++) {
                    long seq = i + 1;
                    Instant at = t0.plusMillis(seq * 37);
                    String detail = EntryCodec.canonicalDetail(Map.of("observation", "obs-" + seq, "systolic", 120 + seq % 60,
                            "diastolic", 70 + seq % 40, "unit", "mm[Hg]", "effective", at.toString()));
                    canonical[i] = EntryCodec.canonicalEntry(1, seq, at, AuditEventType.OBSERVATION_ACCEPTED,
                            "service-account-clinloop-ehr", "p-" + (seq % 5000), detail);
                    String hash = EntryCodec.chainHash(previous, canonical[i]);
                    AuditEntry e = new AuditEntry(seq, 1, at, AuditEventType.OBSERVATION_ACCEPTED,
                            "service-account-clinloop-ehr", "p-" + (seq % 5000), detail, previous, hash);
                    frontier.append(MerkleTree.leafHash(canonical[i]));
                    ps.setLong(1, seq);
                    ps.setObject(2, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
                    ps.setString(3, e.type().name());
                    ps.setString(4, e.actorId());
                    ps.setString(5, e.patientId());
                    ps.setString(6, detail);
                    ps.setString(7, previous);
                    ps.setString(8, hash);
                    ps.addBatch();
                    previous = hash;
                    AuditExport.writeEntry(lines, e);
                    if (seq % 5000 == 0) {
                        ps.executeBatch();
                    }
                }
                ps.executeBatch();
            }
            try (Statement st = c.createStatement()) {
                st.execute("UPDATE audit_head SET last_sequence = " + entries + ", last_hash = '" + previous + "'");
                st.execute("ALTER TABLE audit_entry ENABLE TRIGGER USER");
            }
            c.commit();
            String root = HexFormat.of().formatHex(frontier.root());
            java.security.Signature sig = java.security.Signature.getInstance("Ed25519");
            sig.initSign(keys.getPrivate());
            Instant now = EntryCodec.recordedAt(Instant.now());
            sig.update(SignedTreeHead.signedBytes(1, entries, root, now));
            TreeHeadKey key = TreeHeadKey.of(keys.getPublic());
            try (BufferedWriter out = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
                AuditExport.writeHeader(out, new SignedTreeHead(1, entries, root, now, key.keyId(), "Ed25519",
                        java.util.Base64.getEncoder().encodeToString(sig.sign())), key);
            }
        }
        try (var in = Files.newInputStream(body);
             var out = Files.newOutputStream(export, java.nio.file.StandardOpenOption.APPEND)) {
            in.transferTo(out);
        }
        Files.delete(body);
        emf = AuditBenchSupport.entityManagerFactory(DB);
        System.out.printf("%n[audit] %d entries in PostgreSQL, export %.1f MB%n", entries, Files.size(export) / 1e6);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        emf.close();
        Files.deleteIfExists(export);
    }

    @Benchmark
    public ChainVerification verifyFromPostgres() {
        EntityManager em = emf.createEntityManager();
        try {
            JpaAuditLog log = AuditBenchSupport.log(em);
            log.store = new AuditStore() {
                @Override
                public java.util.List<org.clinloop.audit.SignedTreeHead> headsBySize() {
                    return java.util.List.of();
                }

                @Override
                public java.util.List<TreeHeadKey> keys() {
                    return java.util.List.of();
                }

                @Override
                public org.clinloop.audit.AuditBacklog backlog() {
                    return new org.clinloop.audit.AuditBacklog(0, null); // the entries were written directly
                }
            };
            em.getTransaction().begin();
            ChainVerification v = log.verify();
            em.getTransaction().commit();
            if (!v.intact()) {
                throw new IllegalStateException(v.reason());
            }
            return v;
        } finally {
            em.close();
        }
    }

    @Benchmark
    public AuditExport.Result verifyExportOffline() throws Exception {
        try (BufferedReader in = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            AuditExport.Result r = AuditExport.verify(in, null);
            if (!r.ok()) {
                throw new IllegalStateException(r.message());
            }
            return r;
        }
    }

    @Benchmark
    public byte[] limitSha256Twice() throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] last = null;
        for (byte[] bytes : canonical) {
            last = sha.digest(bytes);
            last = sha.digest(bytes);
        }
        return last;
    }
}
