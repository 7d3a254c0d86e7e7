package org.clinloop.audit.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.MerkleTree;

/**
 * The Merkle tree of the committed log, kept in memory per service instance and caught up from
 * the database before every use (other instances append too). A cache of derivable data:
 * verification never trusts it and recomputes from the entries.
 */
@ApplicationScoped
public class MerkleIndex {

    static final int PAGE = 5000;

    @Inject
    AuditStore store;

    private final MerkleTree tree = new MerkleTree();

    /** Catches up with committed entries and returns the tree size. */
    public synchronized long catchUp() {
        while (true) {
            List<AuditEntry> page = store.committedAfter(tree.size(), PAGE);
            for (AuditEntry e : page) {
                if (e.sequence() != tree.size() + 1) {
                    throw new IllegalStateException("Expected audit entry " + (tree.size() + 1) + " next, found "
                            + e.sequence() + ": the log has a gap.");
                }
                tree.append(EntryCodec.leafHash(e));
            }
            if (page.size() < PAGE) {
                return tree.size();
            }
        }
    }

    /** Runs {@code action} on the caught-up tree under this index's lock. */
    public synchronized <T> T withTree(java.util.function.Function<MerkleTree, T> action) {
        catchUp();
        return action.apply(tree);
    }
}
