package org.clinloop.audit;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The public half of the service's tree-head signing key, as published.
 *
 * @param keyId     hex SHA-256 of {@code publicKey}'s bytes, first 16 characters
 * @param algorithm Ed25519
 * @param publicKey base64 X.509 SubjectPublicKeyInfo
 */
public record TreeHeadKey(String keyId, String algorithm, String publicKey) {

    public static TreeHeadKey of(PublicKey key) {
        byte[] spki = key.getEncoded();
        return new TreeHeadKey(HexFormat.of().formatHex(EntryCodec.sha256().digest(spki)).substring(0, 16),
                key.getAlgorithm().equals("EdDSA") ? "Ed25519" : key.getAlgorithm(), Base64.getEncoder().encodeToString(spki));
    }

    /** Whether {@code head} carries a valid signature by this key. */
    public boolean verifies(SignedTreeHead head) {
        if (!keyId.equals(head.keyId()) || !"Ed25519".equals(head.algorithm())) {
            return false;
        }
        try {
            PublicKey key = KeyFactory.getInstance("Ed25519")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(publicKey)));
            Signature sig = Signature.getInstance("Ed25519");
            sig.initVerify(key);
            sig.update(head.signedBytes());
            return sig.verify(Base64.getDecoder().decode(head.signature()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** PEM form, for people and tools that want it. */
    public String pem() {
        StringBuilder b = new StringBuilder("-----BEGIN PUBLIC KEY-----\n");
        for (int i = 0; i < publicKey.length(); i += 64) {
            b.append(publicKey, i, Math.min(publicKey.length(), i + 64)).append('\n');
        }
        return b.append("-----END PUBLIC KEY-----\n").toString();
    }
}
