package org.clinloop.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Builds chains the way the log does, for tests. */
final class InMemoryChain {

    private final List<AuditEntry> entries = new ArrayList<>();
    private Instant clock = Instant.parse("2026-11-23T09:00:00Z");

    AuditEntry append(AuditEvent event) {
        long sequence = entries.size() + 1;
        String previous = entries.isEmpty() ? EntryCodec.GENESIS_HASH : entries.get(entries.size() - 1).hash();
        String detail = EntryCodec.canonicalDetail(event.detail());
        clock = clock.plusMillis(1250);
        String hash = EntryCodec.chainHash(previous, EntryCodec.canonicalEntry(EntryCodec.CURRENT_FORMAT, sequence,
                clock, event.type(), event.actor().id(), event.patientId(), detail));
        AuditEntry entry = new AuditEntry(sequence, EntryCodec.CURRENT_FORMAT, clock, event.type(),
                event.actor().id(), event.patientId(), detail, previous, hash);
        entries.add(entry);
        return entry;
    }

    List<AuditEntry> entries() {
        return entries;
    }

    static ChainVerification verify(List<AuditEntry> entries) {
        ChainVerifier verifier = new ChainVerifier();
        for (AuditEntry e : entries) {
            if (!verifier.accept(e)) {
                break;
            }
        }
        return verifier.result();
    }
}
