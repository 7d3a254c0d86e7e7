package org.clinloop.audit;

import java.util.List;

/**
 * Proof that the log of {@code first} entries is a prefix of the log of {@code second} (RFC 9162).
 *
 * @param first      the smaller size
 * @param second     the larger size
 * @param firstRoot  hex root at {@code first}
 * @param secondRoot hex root at {@code second}
 * @param path       hex node hashes
 */
public record ConsistencyProof(long first, long second, String firstRoot, String secondRoot, List<String> path) {

    public ConsistencyProof {
        path = List.copyOf(path);
    }
}
