package org.clinloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Known answers computed straight from RFC 6962's recursive definition of MTH (written here
 * separately from {@link MerkleTree}), the published Certificate Transparency test vector, and
 * every proof checked by the RFC 9162 verifier.
 */
class MerkleTreeTest {

    static final HexFormat HEX = HexFormat.of();
    /** The eight leaves of the Certificate Transparency reference test vector. */
    static final String[] CT_LEAVES = {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f"};

    /** MTH(D[n]) by the RFC's definition, naively. */
    static byte[] mth(List<byte[]> entries) {
        if (entries.isEmpty()) {
            return EntryCodec.sha256().digest();
        }
        if (entries.size() == 1) {
            var sha = EntryCodec.sha256();
            sha.update((byte) 0);
            return sha.digest(entries.get(0));
        }
        int k = Integer.highestOneBit(entries.size() - 1);
        var sha = EntryCodec.sha256();
        sha.update((byte) 1);
        sha.update(mth(entries.subList(0, k)));
        return sha.digest(mth(entries.subList(k, entries.size())));
    }

    static MerkleTree tree(List<byte[]> entries) {
        MerkleTree t = new MerkleTree();
        entries.forEach(e -> t.append(MerkleTree.leafHash(e)));
        return t;
    }

    static List<byte[]> ctLeaves() {
        return Arrays.stream(CT_LEAVES).map(HEX::parseHex).toList();
    }

    @Test
    void theCertificateTransparencyTestVector() {
        MerkleTree t = tree(ctLeaves());
        assertThat(HEX.formatHex(MerkleTree.emptyRoot()))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(HEX.formatHex(t.root(1))).isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
        assertThat(HEX.formatHex(t.root(8))).isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        for (int n = 0; n <= 8; n++) {
            assertThat(t.root(n)).as("root of %d leaves", n).isEqualTo(mth(ctLeaves().subList(0, n)));
        }
    }

    static List<byte[]> entries(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(("entry " + i).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    @Property(tries = 60)
    void everyPrefixRootMatchesTheDefinition(@ForAll @IntRange(min = 1, max = 70) int n) {
        List<byte[]> e = entries(n);
        MerkleTree t = tree(e);
        for (int m = 0; m <= n; m++) {
            assertThat(t.root(m)).isEqualTo(mth(e.subList(0, m)));
        }
    }

    @Property(tries = 60)
    void everyInclusionProofVerifiesAndATamperedOneDoesNot(@ForAll @IntRange(min = 1, max = 70) int n) {
        List<byte[]> e = entries(n);
        MerkleTree t = tree(e);
        for (int size = 1; size <= n; size++) {
            byte[] root = t.root(size);
            for (int i = 0; i < size; i++) {
                List<byte[]> proof = t.inclusionProof(i, size);
                assertThat(MerkleProofs.verifyInclusion(i, size, t.leaf(i), proof, root)).as("leaf %d of %d", i, size).isTrue();
                if (!proof.isEmpty()) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    byte[] flipped = bad.get(0).clone();
                    flipped[0] ^= 1;
                    bad.set(0, flipped);
                    assertThat(MerkleProofs.verifyInclusion(i, size, t.leaf(i), bad, root)).isFalse();
                }
                assertThat(MerkleProofs.verifyInclusion(i, size, MerkleTree.leafHash("forged".getBytes()), proof, root))
                        .isFalse();
            }
        }
    }

    @Property(tries = 60)
    void everyConsistencyProofVerifiesAndAForkedLogFails(@ForAll @IntRange(min = 1, max = 70) int n) {
        List<byte[]> e = entries(n);
        MerkleTree t = tree(e);
        for (int m = 1; m <= n; m++) {
            List<byte[]> proof = t.consistencyProof(m, n);
            assertThat(MerkleProofs.verifyConsistency(m, n, t.root(m), t.root(n), proof)).as("%d -> %d", m, n).isTrue();
            if (m < n) {
                List<byte[]> forked = new ArrayList<>(e);
                forked.set(m - 1, "rewritten".getBytes());
                byte[] forkedRoot = mth(forked.subList(0, m));
                assertThat(MerkleProofs.verifyConsistency(m, n, forkedRoot, t.root(n), proof)).isFalse();
            }
        }
    }
}
