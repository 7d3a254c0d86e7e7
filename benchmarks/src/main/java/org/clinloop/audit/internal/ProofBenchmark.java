package org.clinloop.audit.internal;

import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.clinloop.audit.MerkleTree;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Inclusion and consistency proofs from the service's in-memory Merkle index of a million
 * entries, sampled (JMH prints p50 and p99); the limit is a single SHA-256 of a leaf, to read the
 * proofs' cost in hashes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = {"-Xms2g", "-Xmx2g"})
public class ProofBenchmark {

    @Param("1000000")
    int entries;

    MerkleTree tree;
    Random rng = new Random(7);
    byte[] leaf = new byte[97];

    @Setup(Level.Trial)
    public void build() throws Exception {
        tree = new MerkleTree();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < entries; i++) {
            tree.append(sha.digest(Integer.toString(i).getBytes()));
        }
    }

    @Benchmark
    public List<byte[]> inclusionProof() {
        return tree.inclusionProof(rng.nextInt(entries), entries);
    }

    @Benchmark
    public List<byte[]> consistencyProof() {
        return tree.consistencyProof(1 + rng.nextInt(entries - 1), entries);
    }

    @Benchmark
    public byte[] limitOneLeafHash() {
        return MerkleTree.leafHash(leaf);
    }
}
