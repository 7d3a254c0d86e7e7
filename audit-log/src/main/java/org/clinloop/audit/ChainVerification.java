package org.clinloop.audit;

/**
 * The result of recomputing the whole log: the hash chain entry by entry, and the Merkle root
 * at the size of every signed tree head.
 *
 * @param intact           true when every entry's hash and link recompute and every signed head matches
 * @param entriesChecked   how many entries were read
 * @param firstBroken      sequence number of the first entry that does not verify, or 0 when intact
 * @param reason           what was expected and what was found at {@code firstBroken}, or "intact"
 * @param headHash         the chain hash of the last entry read
 * @param treeHeadsChecked how many signed tree heads were checked against the recomputed roots
 * @param rootHash         hex Merkle root of all entries read
 * @param stagedEvents     events committed but not chained yet when the pass ended (appended meanwhile;
 *                         they are covered by the next pass)
 */
public record ChainVerification(boolean intact, long entriesChecked, long firstBroken, String reason, String headHash,
                                long treeHeadsChecked, String rootHash, long stagedEvents) {

    static ChainVerification intact(long checked, String head) {
        return new ChainVerification(true, checked, 0, "intact", head, 0, null, 0);
    }

    static ChainVerification broken(long checked, long at, String reason, String head) {
        return new ChainVerification(false, checked, at, reason, head, 0, null, 0);
    }

    /** The same result, saying how many events waited to be chained. */
    public ChainVerification withStaged(long staged) {
        return new ChainVerification(intact, entriesChecked, firstBroken, reason, headHash, treeHeadsChecked, rootHash,
                staged);
    }

    /** The same result with the Merkle findings added. */
    public ChainVerification withTreeHeads(long checked, String root, long brokenAt, String problem) {
        if (!intact || problem == null) {
            return new ChainVerification(intact, entriesChecked, firstBroken, reason, headHash, checked, root,
                    stagedEvents);
        }
        return new ChainVerification(false, entriesChecked, brokenAt, problem, headHash, checked, root, stagedEvents);
    }
}
