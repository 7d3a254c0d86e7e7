package org.clinloop.audit;

/**
 * The result of recomputing the whole chain.
 *
 * @param intact         true when every entry's hash and link recompute
 * @param entriesChecked how many entries were read
 * @param firstBroken    sequence number of the first entry that does not verify, or 0 when intact
 * @param reason         what was expected and what was found at {@code firstBroken}, or "intact"
 * @param headHash       the hash of the last entry read
 */
public record ChainVerification(boolean intact, long entriesChecked, long firstBroken, String reason,
                                String headHash) {

    static ChainVerification intact(long checked, String head) {
        return new ChainVerification(true, checked, 0, "intact", head);
    }

    static ChainVerification broken(long checked, long at, String reason, String head) {
        return new ChainVerification(false, checked, at, reason, head);
    }
}
