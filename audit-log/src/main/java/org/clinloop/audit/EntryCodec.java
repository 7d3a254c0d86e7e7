package org.clinloop.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;

/**
 * The canonical, versioned encoding of audit entries and the hash that chains them.
 *
 * <p>Format 1: the entry is the UTF-8 bytes of a JSON object with the keys {@code actor},
 * {@code detail}, {@code format}, {@code patient}, {@code recordedAt}, {@code sequence},
 * {@code type} in that (alphabetical) order, no white space, object keys sorted at every depth,
 * {@code recordedAt} as ISO-8601 UTC with millisecond precision. The chain hash of entry
 * <i>n</i> is {@code hex(SHA-256(bytes(hash[n-1]) ‖ entry[n]))} with {@code hash[0]} = 32 zero
 * bytes. Files written with each format stay in {@code src/test/resources/golden} and must keep
 * verifying; an unknown format is refused by name.
 */
public final class EntryCodec {

    public static final int CURRENT_FORMAT = 1;
    public static final Set<Integer> KNOWN_FORMATS = Set.of(1);
    public static final String GENESIS_HASH = "0".repeat(64);

    private static final HexFormat HEX = HexFormat.of();
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private EntryCodec() {
    }

    /** The canonical JSON of an event's detail: sorted keys, no white space. */
    public static String canonicalDetail(Map<String, ?> detail) {
        try {
            // Round-trip through a tree so that nested records and maps are sorted alike.
            Object tree = CANONICAL.readValue(CANONICAL.writeValueAsBytes(detail), Object.class);
            return CANONICAL.writeValueAsString(tree);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Audit detail is not JSON-encodable: " + e.getMessage(), e);
        }
    }

    /** Truncates to what the log keeps, so that an entry read back hashes the same. */
    public static Instant recordedAt(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** The bytes that are hashed for one entry. */
    public static byte[] canonicalEntry(int format, long sequence, Instant recordedAt, AuditEventType type,
                                        String actorId, String patientId, String detailJson) {
        requireKnown(format);
        StringBuilder json = new StringBuilder(detailJson.length() + 160);
        json.append("{\"actor\":").append(quote(actorId))
                .append(",\"detail\":").append(detailJson)
                .append(",\"format\":").append(format)
                .append(",\"patient\":").append(patientId == null ? "null" : quote(patientId))
                .append(",\"recordedAt\":").append(quote(DateTimeFormatter.ISO_INSTANT.format(recordedAt(recordedAt))))
                .append(",\"sequence\":").append(sequence)
                .append(",\"type\":").append(quote(type.name()))
                .append('}');
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code hex(SHA-256(bytes(previousHash) ‖ canonicalEntry))}. */
    public static String chainHash(String previousHash, byte[] canonicalEntry) {
        MessageDigest sha = sha256();
        sha.update(HEX.parseHex(previousHash));
        sha.update(canonicalEntry);
        return HEX.formatHex(sha.digest());
    }

    /** Recomputes the hash an entry should carry from its recorded fields. */
    public static String recomputeHash(AuditEntry entry) {
        byte[] bytes = canonicalEntry(entry.formatVersion(), entry.sequence(), entry.recordedAt(), entry.type(),
                entry.actorId(), entry.patientId(), entry.detailJson());
        return chainHash(entry.previousHash(), bytes);
    }

    /** The RFC 6962 leaf hash of an entry: SHA-256(0x00 ‖ canonical entry bytes). */
    public static byte[] leafHash(AuditEntry entry) {
        return MerkleTree.leafHash(canonicalEntry(entry.formatVersion(), entry.sequence(), entry.recordedAt(),
                entry.type(), entry.actorId(), entry.patientId(), entry.detailJson()));
    }

    /** Parses canonical detail JSON back into maps, lists and scalars. */
    public static Map<String, Object> parseDetail(String detailJson) {
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> map = CANONICAL.readValue(detailJson, Map.class);
            return map;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Audit detail is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Parses canonical JSON of an object whose every value is a number (feature values, metrics)
     * into name → double, in the document's order.
     */
    public static Map<String, Double> parseNumbers(String json) {
        Map<String, Double> out = new java.util.LinkedHashMap<>();
        parseDetail(json).forEach((k, v) -> out.put(k, ((Number) v).doubleValue()));
        return out;
    }

    static void requireKnown(int format) {
        if (!KNOWN_FORMATS.contains(format)) {
            throw new IllegalArgumentException("Audit entry format " + format
                    + " is not known to this build; known formats: " + KNOWN_FORMATS + ".");
        }
    }

    private static String quote(String value) {
        try {
            return CANONICAL.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform.", e);
        }
    }
}
