package org.clinloop.audit;

/**
 * Checks entries in sequence order, one at a time, so that a log of any length verifies in
 * constant memory. Used by the service and by offline verification of an export alike.
 */
public final class ChainVerifier {

    private long expectedSequence = 1;
    private String previousHash = EntryCodec.GENESIS_HASH;
    private long checked;
    private ChainVerification failure;

    /** Feeds the next entry; returns false once the chain is broken (further entries are ignored). */
    public boolean accept(AuditEntry entry) {
        if (failure != null) {
            return false;
        }
        checked++;
        if (entry.sequence() != expectedSequence) {
            return fail(expectedSequence, "expected entry " + expectedSequence + " next, found entry "
                    + entry.sequence() + " (an entry was removed or reordered)");
        }
        if (!entry.previousHash().equals(previousHash)) {
            return fail(entry.sequence(), "expected previous hash " + previousHash + ", found "
                    + entry.previousHash());
        }
        if (!EntryCodec.KNOWN_FORMATS.contains(entry.formatVersion())) {
            return fail(entry.sequence(), "expected a known format " + EntryCodec.KNOWN_FORMATS + ", found format "
                    + entry.formatVersion());
        }
        String recomputed = EntryCodec.recomputeHash(entry);
        if (!recomputed.equals(entry.hash())) {
            return fail(entry.sequence(), "expected hash " + recomputed + " from the recorded fields, found "
                    + entry.hash() + " (the entry was altered)");
        }
        previousHash = entry.hash();
        expectedSequence++;
        return true;
    }

    /** Checks that the log ends where its head says it does (detects a truncated tail). */
    public void expectHead(long lastSequence, String lastHash) {
        if (failure != null) {
            return;
        }
        if (lastSequence != expectedSequence - 1 || !lastHash.equals(previousHash)) {
            fail(Math.min(lastSequence, expectedSequence), "expected the log to end at entry " + lastSequence
                    + " with hash " + lastHash + ", found it ends at entry " + (expectedSequence - 1)
                    + " with hash " + previousHash);
        }
    }

    public ChainVerification result() {
        return failure != null ? failure : ChainVerification.intact(checked, previousHash);
    }

    private boolean fail(long at, String reason) {
        failure = ChainVerification.broken(checked, at, reason, previousHash);
        return false;
    }
}
