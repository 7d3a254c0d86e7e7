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
import org.clinloop.audit.TreeHeadKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs tree heads with the service's Ed25519 key. The private key is read from
 * {@code clinloop.audit.signing-key-file} (PKCS#8); when that file does not exist a key is
 * generated there (owner-only permissions) and a warning logged: production installs provision
 * the key and keep a copy of its public half outside ClinLoop.
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

    private PrivateKey privateKey;
    private TreeHeadKey publicKey;

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
            SignedTreeHead probe = sign(0, EntryCodec.GENESIS_HASH, Instant.EPOCH);
            if (!publicKey.verifies(probe)) {
                throw new IllegalStateException(pub + " is not the public half of " + path + ".");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("Audit signing key " + path + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    public TreeHeadKey key() {
        return publicKey;
    }

    public SignedTreeHead sign(long size, String rootHash, Instant at) {
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
