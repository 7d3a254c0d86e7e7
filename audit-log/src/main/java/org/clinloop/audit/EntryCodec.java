package org.clinloop.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * The canonical JSON of an event's detail: sorted keys, no white space. Defined as Jackson's
     * encoding of the detail read back as plain maps, lists and scalars and written again with every
     * map's keys sorted ({@link #canonicalByRoundTrip}). Most details already come out of the first
     * write with their keys in order (maps are written sorted, records alphabetically), so the
     * second pass streams the first one's tokens straight to the output, writing each fraction as
     * the double it reads back as, and takes the slow way only when it meets a key out of order.
     * {@code CanonicalDetailProperties} checks that both ways give the same text.
     */
    public static String canonicalDetail(Map<String, ?> detail) {
        try {
            byte[] written = CANONICAL.writeValueAsBytes(detail);
            String streamed = streamIfSorted(written);
            return streamed != null ? streamed : CANONICAL.writeValueAsString(CANONICAL.readValue(written, Object.class));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Audit detail is not JSON-encodable: " + e.getMessage(), e);
        }
    }

    /** The definition of {@link #canonicalDetail}, step by step: write, read back as plain values, write sorted. */
    static String canonicalByRoundTrip(Map<String, ?> detail) {
        try {
            Object tree = CANONICAL.readValue(CANONICAL.writeValueAsBytes(detail), Object.class);
            return CANONICAL.writeValueAsString(tree);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Audit detail is not JSON-encodable: " + e.getMessage(), e);
        }
    }

    /**
     * {@code json} rewritten token by token as the round trip would write it, or null as soon as an
     * object's keys are not strictly increasing (the round trip would reorder or merge them).
     * Integers keep their digits; a fraction is written as the double it parses to, which is what
     * reading it back as a plain value does.
     */
    private static String streamIfSorted(byte[] json) throws java.io.IOException {
        java.io.StringWriter out = new java.io.StringWriter(json.length + 16);
        java.util.ArrayDeque<String[]> lastKeys = new java.util.ArrayDeque<>();
        try (JsonParser in = CANONICAL.getFactory().createParser(json);
             JsonGenerator gen = CANONICAL.getFactory().createGenerator(out)) {
            gen.setCodec(CANONICAL);
            for (JsonToken t = in.nextToken(); t != null; t = in.nextToken()) {
                switch (t) {
                    case START_OBJECT -> {
                        lastKeys.push(new String[1]);
                        gen.writeStartObject();
                    }
                    case END_OBJECT -> {
                        lastKeys.pop();
                        gen.writeEndObject();
                    }
                    case FIELD_NAME -> {
                        String[] last = lastKeys.peek();
                        String key = in.currentName();
                        if (last[0] != null && last[0].compareTo(key) >= 0) {
                            return null;
                        }
                        last[0] = key;
                        gen.writeFieldName(key);
                    }
                    case VALUE_NUMBER_FLOAT -> gen.writeNumber(in.getDoubleValue());
                    default -> gen.copyCurrentEvent(in);
                }
            }
        }
        return out.toString();
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
