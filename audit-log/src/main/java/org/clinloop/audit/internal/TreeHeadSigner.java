package org.clinloop.audit.internal;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.logging.Logger;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.SignedTreeHead;
import org.clinloop.audit.SigningKeyRefusedException;
import org.clinloop.audit.TreeHeadKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs tree heads with the service's Ed25519 key. The private key is read from
 * {@code clinloop.audit.signing-key-file} (PKCS#8); when that file does not exist a key is
 * generated there (owner-only permissions) and a warning logged: production installs provision
 * the key and keep a copy of its public half outside ClinLoop.
 *
 * <p><b>Pinning.</b> {@code clinloop.audit.signing-key-id} names the key id (hex SHA-256 of the
 * public key, first 16 characters) that this installation signs with, kept outside the database
 * and outside the key file's directory (the deployment's configuration). When it is set and the
 * key file holds another key, nothing is signed: {@link #sign} refuses, the refusal is logged as
 * SEVERE, and readiness and {@code /metrics} report it. A key replaced on disk can then not sign
 * heads that only its own public half would verify.
 */
@ApplicationScoped
public class TreeHeadSigner {

    private static final Logger LOG = Logger.getLogger(TreeHeadSigner.class.getName());

    @Inject
    @ConfigProperty(name = "clinloop.audit.signing-key-file")
    Optional<String> keyFile;
    @Inject
    @ConfigProperty(name = "clinloop.data.dir")
    Optional<String> dataDir;
    @Inject
    @ConfigProperty(name = "clinloop.audit.signing-key-id")
    Optional<String> pinnedKeyId;

    private PrivateKey privateKey;
    private TreeHeadKey publicKey;
    private String refusal;

    @PostConstruct
    void load() {
        Path path = Path.of(keyFile.orElseGet(() -> dataDir.orElse(".") + "/audit-signing-key.pk8"));
        Path pub = Path.of(path + ".pub");
        try {
            KeyFactory ed = KeyFactory.getInstance("Ed25519");
            if (!Files.exists(path)) {
                KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                Files.createDirectories(path.toAbsolutePath().getParent());
                Files.write(path, pair.getPrivate().getEncoded());
                Files.write(pub, pair.getPublic().getEncoded());
                try {
                    Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException e) {
                    LOG.warning("Cannot restrict permissions of " + path);
                }
                LOG.warning("Generated a new audit signing key at " + path.toAbsolutePath()
                        + "; keep it safe and publish its public half (GET /api/audit/public-key)");
            }
            if (!Files.exists(pub)) {
                throw new IllegalStateException("Expected the public half of " + path + " in " + pub + ", found none.");
            }
            privateKey = ed.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(path)));
            PublicKey publicHalf = ed.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub)));
            publicKey = TreeHeadKey.of(publicHalf);
            SignedTreeHead probe = signWithKey(0, EntryCodec.GENESIS_HASH, Instant.EPOCH);
            if (!publicKey.verifies(probe)) {
                throw new IllegalStateException(pub + " is not the public half of " + path + ".");
            }
            String pin = pinnedKeyId.map(String::trim).filter(p -> !p.isEmpty()).orElse(null);
            if (pin == null) {
                LOG.warning("clinloop.audit.signing-key-id is not set: tree heads are signed with whatever key "
                        + path + " holds (now " + publicKey.keyId() + "); pin it in production");
            } else if (!pin.equals(publicKey.keyId())) {
                refusal = "Expected the audit signing key pinned by clinloop.audit.signing-key-id, " + pin + ", found "
                        + publicKey.keyId() + " in " + path + ": no tree head is signed until the pinned key is restored"
                        + " or the pin is changed";
                LOG.severe(refusal);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Audit signing key " + path + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    public TreeHeadKey key() {
        return publicKey;
    }

    /** Why this instance signs nothing (the key on disk is not the pinned one), or empty when it signs. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /**
     * Signs a tree head.
     *
     * @throws SigningKeyRefusedException when the key on disk is not the pinned one
     */
    public SignedTreeHead sign(long size, String rootHash, Instant at) {
        if (refusal != null) {
            throw new SigningKeyRefusedException(refusal);
        }
        return signWithKey(size, rootHash, at);
    }

    private SignedTreeHead signWithKey(long size, String rootHash, Instant at) {
        Instant ts = EntryCodec.recordedAt(at);
        try {
            Signature sig = Signature.getInstance("Ed25519");
            sig.initSign(privateKey);
            sig.update(SignedTreeHead.signedBytes(1, size, rootHash, ts));
            return new SignedTreeHead(1, size, rootHash, ts, publicKey.keyId(), publicKey.algorithm(),
                    Base64.getEncoder().encodeToString(sig.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a tree head: " + e.getMessage(), e);
        }
    }
}
