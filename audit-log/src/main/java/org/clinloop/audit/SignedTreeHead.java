package org.clinloop.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * A signed statement of the log's size and Merkle root at a moment (RFC 6962 §3.5 in spirit).
 *
 * @param version   format of the signed bytes (1)
 * @param size      number of entries covered
 * @param rootHash  hex MTH of the first {@code size} entries
 * @param timestamp when the head was issued (millisecond precision)
 * @param keyId     hex SHA-256 of the signing key's SubjectPublicKeyInfo, first 16 characters
 * @param algorithm signature algorithm (Ed25519)
 * @param signature base64 signature over {@link #signedBytes()}
 */
public record SignedTreeHead(int version, long size, String rootHash, Instant timestamp, String keyId, String algorithm,
                             String signature) {

    /** Format 1: {@code {"rootHash":"…","size":n,"timestamp":"…","version":1}} in UTF-8, no white space. */
    public byte[] signedBytes() {
        return signedBytes(version, size, rootHash, timestamp);
    }

    public static byte[] signedBytes(int version, long size, String rootHash, Instant timestamp) {
        if (version != 1) {
            throw new IllegalArgumentException("Tree head format " + version + " is not known; known formats: [1].");
        }
        return ("{\"rootHash\":\"" + rootHash + "\",\"size\":" + size + ",\"timestamp\":\""
                + DateTimeFormatter.ISO_INSTANT.format(EntryCodec.recordedAt(timestamp)) + "\",\"version\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
