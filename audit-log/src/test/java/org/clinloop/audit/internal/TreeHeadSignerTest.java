package org.clinloop.audit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.SignedTreeHead;
import org.clinloop.audit.SigningKeyRefusedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signing key pinned outside the key file: a replaced key signs nothing. */
class TreeHeadSignerTest {

    @TempDir
    Path dir;

    private TreeHeadSigner signer(Path keyFile, String pin) {
        TreeHeadSigner signer = new TreeHeadSigner();
        signer.keyFile = Optional.of(keyFile.toString());
        signer.dataDir = Optional.empty();
        signer.pinnedKeyId = Optional.ofNullable(pin);
        signer.load();
        return signer;
    }

    @Test
    void anUnpinnedKeySignsAndSoDoesThePinnedOne() {
        Path key = dir.resolve("audit.pk8");
        TreeHeadSigner unpinned = signer(key, null);
        String keyId = unpinned.key().keyId();
        assertThat(unpinned.refusal()).isEmpty();

        TreeHeadSigner pinned = signer(key, " " + keyId + " ");
        SignedTreeHead head = pinned.sign(3, EntryCodec.GENESIS_HASH, Instant.parse("2026-12-07T10:00:00Z"));
        assertThat(pinned.refusal()).isEmpty();
        assertThat(pinned.key().verifies(head)).isTrue();
    }

    @Test
    void aKeyFileReplacedBehindThePinSignsNothing() throws Exception {
        Path key = dir.resolve("audit.pk8");
        String pinned = signer(key, null).key().keyId();
        Files.delete(key);
        Files.delete(Path.of(key + ".pub")); // an attacker, or a careless restore, puts another key there

        TreeHeadSigner replaced = signer(key, pinned);

        assertThat(replaced.key().keyId()).isNotEqualTo(pinned);
        assertThat(replaced.refusal()).hasValueSatisfying(r -> assertThat(r).contains(pinned)
                .contains(replaced.key().keyId()).contains("clinloop.audit.signing-key-id"));
        assertThatThrownBy(() -> replaced.sign(3, EntryCodec.GENESIS_HASH, Instant.now()))
                .isInstanceOf(SigningKeyRefusedException.class).hasMessageContaining(pinned);
    }
}
