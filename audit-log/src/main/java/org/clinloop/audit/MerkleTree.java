package org.clinloop.audit;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An append-only Merkle tree as RFC 6962 / RFC 9162 define it: leaf hash
 * {@code SHA-256(0x00 ‖ entry)}, node hash {@code SHA-256(0x01 ‖ left ‖ right)}, the tree over n
 * leaves split at the largest power of two below n. Every complete, aligned subtree's hash is
 * kept, so roots of any prefix, inclusion proofs and consistency proofs take O(log n) hashes.
 * Not thread-safe; callers synchronize.
 */
public final class MerkleTree {

    public static final int HASH = 32;
    private static final byte[] EMPTY_ROOT = EntryCodec.sha256().digest();

    /** {@code levels.get(k)} holds the hashes of the complete subtrees of 2^k leaves, in order. */
    private final List<byte[]> levels = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private long size;

    public static byte[] leafHash(byte[] entry) {
        MessageDigest sha = EntryCodec.sha256();
        sha.update((byte) 0x00);
        return sha.digest(entry);
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest sha = EntryCodec.sha256();
        sha.update((byte) 0x01);
        sha.update(left);
        return sha.digest(right);
    }

    /** The root of the empty tree: SHA-256 of nothing. */
    public static byte[] emptyRoot() {
        return EMPTY_ROOT.clone();
    }

    public long size() {
        return size;
    }

    /** Appends a leaf hash and every subtree it completes. */
    public void append(byte[] leafHash) {
        if (leafHash.length != HASH) {
            throw new IllegalArgumentException("Expected a 32-byte leaf hash, found " + leafHash.length + " bytes.");
        }
        byte[] carry = leafHash;
        int level = 0;
        long index = size;
        while (true) {
            put(level, carry);
            if ((index & 1) == 0) {
                break;
            }
            carry = nodeHash(get(level, index - 1), carry);
            index >>= 1;
            level++;
        }
        size++;
    }

    /** The tree head of the first {@code n} leaves: MTH(D[0:n]). */
    public byte[] root(long n) {
        checkSize(n);
        return n == 0 ? emptyRoot() : hash(0, n);
    }

    public byte[] root() {
        return root(size);
    }

    /** The leaf hash at {@code index}. */
    public byte[] leaf(long index) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("Expected a leaf index 0.." + (size - 1) + ", found " + index + ".");
        }
        return get(0, index);
    }

    /** RFC 9162 §2.1.3.1 PATH(m, D[0:n]): the audit path of leaf {@code m} in the tree of the first {@code n} leaves. */
    public List<byte[]> inclusionProof(long m, long n) {
        checkSize(n);
        if (m < 0 || m >= n) {
            throw new IllegalArgumentException("Expected a leaf index 0.." + (n - 1) + ", found " + m + ".");
        }
        List<byte[]> proof = new ArrayList<>();
        path(m, 0, n, proof);
        return proof;
    }

    /** RFC 9162 §2.1.4.1 PROOF(m, D[0:n]): proves the tree of {@code m} leaves is a prefix of the tree of {@code n}. */
    public List<byte[]> consistencyProof(long m, long n) {
        checkSize(n);
        if (m < 1 || m > n) {
            throw new IllegalArgumentException("Expected 1 <= first size <= second size " + n + ", found " + m + ".");
        }
        List<byte[]> proof = new ArrayList<>();
        subproof(m, 0, n, true, proof);
        return proof;
    }

    private void path(long m, long start, long end, List<byte[]> out) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(m, start, start + k, out);
            out.add(hash(start + k, end));
        } else {
            path(m - k, start + k, end, out);
            out.add(hash(start, start + k));
        }
    }

    private void subproof(long m, long start, long end, boolean b, List<byte[]> out) {
        long n = end - start;
        if (m == n) {
            if (!b) {
                out.add(hash(start, end));
            }
            return;
        }
        long k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(m, start, start + k, b, out);
            out.add(hash(start + k, end));
        } else {
            subproof(m - k, start + k, end, false, out);
            out.add(hash(start, start + k));
        }
    }

    /** MTH(D[start:end]); every left part the recursion meets is a complete, aligned subtree. */
    private byte[] hash(long start, long end) {
        long n = end - start;
        if (Long.bitCount(n) == 1 && start % n == 0) {
            return get(Long.numberOfTrailingZeros(n), start / n);
        }
        long k = largestPowerOfTwoBelow(n);
        return nodeHash(hash(start, start + k), hash(start + k, end));
    }

    /**
     * The right edge of a growing tree (RFC 9162's "compact range"): enough to compute the root
     * of every prefix in one streaming pass, in O(log n) memory. Verification uses it.
     */
    public static final class Frontier {
        private final java.util.ArrayDeque<byte[]> stack = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<Integer> heights = new java.util.ArrayDeque<>();
        private long size;

        public void append(byte[] leafHash) {
            byte[] carry = leafHash;
            int height = 0;
            while (!heights.isEmpty() && heights.peek() == height) {
                carry = nodeHash(stack.pop(), carry);
                heights.pop();
                height++;
            }
            stack.push(carry);
            heights.push(height);
            size++;
        }

        public long size() {
            return size;
        }

        /** MTH of everything appended so far. */
        public byte[] root() {
            if (size == 0) {
                return emptyRoot();
            }
            java.util.Iterator<byte[]> it = stack.iterator();
            byte[] acc = it.next();
            while (it.hasNext()) {
                acc = nodeHash(it.next(), acc);
            }
            return acc;
        }
    }

    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    private void checkSize(long n) {
        if (n < 0 || n > size) {
            throw new IllegalArgumentException("Expected a tree size 0.." + size + ", found " + n + ".");
        }
    }

    private void put(int level, byte[] hash) {
        while (levels.size() <= level) {
            levels.add(new byte[HASH * 1024]);
            counts.add(0);
        }
        int count = counts.get(level);
        byte[] buf = levels.get(level);
        if ((count + 1) * HASH > buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
            levels.set(level, buf);
        }
        System.arraycopy(hash, 0, buf, count * HASH, HASH);
        counts.set(level, count + 1);
    }

    private byte[] get(int level, long index) {
        return Arrays.copyOfRange(levels.get(level), (int) (index * HASH), (int) (index * HASH + HASH));
    }
}
