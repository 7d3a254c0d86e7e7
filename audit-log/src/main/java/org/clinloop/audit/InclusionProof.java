package org.clinloop.audit;

import java.util.List;

/**
 * Proof that an entry is in the log (RFC 9162 audit path).
 *
 * @param sequence  the entry's sequence number (leaf index + 1)
 * @param leafIndex zero-based leaf index
 * @param treeSize  size of the tree the proof is for
 * @param leafHash  hex SHA-256(0x00 ‖ canonical entry)
 * @param path      hex node hashes, leaf to root
 * @param rootHash  hex root of the tree of {@code treeSize}
 */
public record InclusionProof(long sequence, long leafIndex, long treeSize, String leafHash, List<String> path,
                             String rootHash) {

    public InclusionProof {
        path = List.copyOf(path);
    }
}
