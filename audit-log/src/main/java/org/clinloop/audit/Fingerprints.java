package org.clinloop.audit;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * SHA-256 fingerprints of values in the same canonical JSON the audit log records, so that an
 * input hash printed in an entry can be recomputed from the entry's own detail.
 */
public final class Fingerprints {

    private Fingerprints() {
    }

    /** Hex SHA-256 of the canonical JSON of {@code value}. */
    public static String of(Map<String, ?> value) {
        return sha256Hex(EntryCodec.canonicalDetail(value).getBytes(StandardCharsets.UTF_8));
    }

    /** Hex SHA-256 of raw bytes. */
    public static String sha256Hex(byte[] bytes) {
        return HexFormat.of().formatHex(EntryCodec.sha256().digest(bytes));
    }
}
