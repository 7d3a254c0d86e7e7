package org.clinloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class ChainVerifierTest {

    private static final Actor CLINICIAN = new Actor("dr.rivera", "Ana Rivera", Set.of("clinician"), null, "dr-rivera");

    static List<AuditEntry> chain(int length) {
        InMemoryChain chain = new InMemoryChain();
        for (int i = 0; i < length; i++) {
            chain.append(AuditEvent.of(AuditEventType.values()[i % AuditEventType.values().length], CLINICIAN,
                    "p-" + (i % 3), Map.of("i", i, "note", "entry " + i)));
        }
        return chain.entries();
    }

    @Property(tries = 200)
    void anUntouchedChainVerifies(@ForAll @IntRange(min = 0, max = 60) int length) {
        ChainVerification result = InMemoryChain.verify(chain(length));
        assertThat(result.intact()).isTrue();
        assertThat(result.entriesChecked()).isEqualTo(length);
    }

    @Property(tries = 300)
    void alteringAnyFieldOfAnyEntryIsDetectedAtThatEntry(@ForAll @IntRange(min = 1, max = 40) int length,
                                                         @ForAll("positions") double where,
                                                         @ForAll @IntRange(min = 0, max = 4) int field) {
        List<AuditEntry> entries = new ArrayList<>(chain(length));
        int at = (int) (where * length);
        AuditEntry e = entries.get(at);
        AuditEntry altered = switch (field) {
            case 0 -> new AuditEntry(e.sequence(), e.formatVersion(), e.recordedAt().plusMillis(1), e.type(),
                    e.actorId(), e.patientId(), e.detailJson(), e.previousHash(), e.hash());
            case 1 -> new AuditEntry(e.sequence(), e.formatVersion(), e.recordedAt(), e.type(), "someone.else",
                    e.patientId(), e.detailJson(), e.previousHash(), e.hash());
            case 2 -> new AuditEntry(e.sequence(), e.formatVersion(), e.recordedAt(), e.type(), e.actorId(),
                    "p-other", e.detailJson(), e.previousHash(), e.hash());
            case 3 -> new AuditEntry(e.sequence(), e.formatVersion(), e.recordedAt(), e.type(), e.actorId(),
                    e.patientId(), e.detailJson().replace("entry", "entrY"), e.previousHash(), e.hash());
            default -> new AuditEntry(e.sequence(), e.formatVersion(), e.recordedAt(),
                    e.type() == AuditEventType.AUDIT_READ ? AuditEventType.TASK_APPROVED : AuditEventType.AUDIT_READ,
                    e.actorId(), e.patientId(), e.detailJson(), e.previousHash(), e.hash());
        };
        entries.set(at, altered);

        ChainVerification result = InMemoryChain.verify(entries);
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBroken()).isEqualTo(e.sequence());
    }

    @Property(tries = 200)
    void removingOrSwappingEntriesIsDetected(@ForAll @IntRange(min = 2, max = 40) int length,
                                             @ForAll("positions") double where, @ForAll boolean swap) {
        List<AuditEntry> entries = new ArrayList<>(chain(length));
        int at = Math.min((int) (where * length), length - 2);
        if (swap) {
            AuditEntry tmp = entries.get(at);
            entries.set(at, entries.get(at + 1));
            entries.set(at + 1, tmp);
        } else {
            entries.remove(at);
        }
        ChainVerification result = InMemoryChain.verify(entries);
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBroken()).isEqualTo(at + 1L);
    }

    @Property(tries = 50)
    void aTruncatedTailIsDetectedAgainstTheHead(@ForAll @IntRange(min = 2, max = 30) int length) {
        List<AuditEntry> entries = chain(length);
        AuditEntry last = entries.get(length - 1);
        ChainVerifier verifier = new ChainVerifier();
        entries.subList(0, length - 1).forEach(verifier::accept);
        verifier.expectHead(last.sequence(), last.hash());
        assertThat(verifier.result().intact()).isFalse();
        assertThat(verifier.result().reason()).contains("expected the log to end at entry " + length);
    }

    @Provide
    Arbitrary<Double> positions() {
        return Arbitraries.doubles().between(0.0, 0.999).ofScale(3);
    }
}
