package org.clinloop.audit;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Typed, strict reading of one audit entry's detail, for the records that own a kind of entry
 * (such as {@code ProposalRecorded} in recommendation-engine): each getter names the entry kind
 * and the path of the key in its message, expected versus found, so a record that does not parse
 * says exactly where. Only a record's own parser reads a detail by key; everything else reads the
 * record.
 *
 * <p>Record versions: a detail without the key {@value #RECORD_VERSION_KEY} is version 1 (every
 * entry written before record versions existed); a later version writes the key. A parser refuses
 * a version it does not know by name ({@link #requireRecordVersion}).
 *
 * <p>Legacy nulls: some version-1 writers recorded absent values as {@code String.valueOf(x)}, the
 * four characters {@code "null"}. {@link #legacyString} and the parsers built on it turn that back
 * into an absent value, so it never travels further as text.
 */
public final class DetailReader {

    /** The key a detail of record version 2 or later carries; absent means version 1. */
    public static final String RECORD_VERSION_KEY = "recordVersion";

    private final String path;
    private final Map<String, Object> detail;

    private DetailReader(String path, Map<String, Object> detail) {
        this.path = path;
        this.detail = detail;
    }

    /** Reads {@code detail}, an entry of kind {@code kind} ("PROPOSAL_MADE"), as parsed by {@link EntryCodec#parseDetail}. */
    public static DetailReader of(AuditEventType kind, Map<String, Object> detail) {
        Objects.requireNonNull(kind, "Entry kind is required.");
        Objects.requireNonNull(detail, "Detail is required.");
        return new DetailReader(kind.name(), detail);
    }

    /** Reads the detail of {@code entry}, refusing an entry of another kind. */
    public static DetailReader of(AuditEventType kind, AuditEntry entry) {
        if (entry.type() != kind) {
            throw new IllegalArgumentException("Expected a " + kind + " entry, found " + entry.type() + " (entry "
                    + entry.sequence() + ").");
        }
        return of(kind, EntryCodec.parseDetail(entry.detailJson()));
    }

    /**
     * The record version of the detail, refused unless it is {@code known}.
     *
     * @throws IllegalArgumentException naming the kind, the version expected and the one found
     */
    public int requireRecordVersion(int known) {
        Object v = detail.get(RECORD_VERSION_KEY);
        if (v != null && !(v instanceof Integer || v instanceof Long)) {
            throw new IllegalArgumentException("Expected " + path + "." + RECORD_VERSION_KEY + " to be a whole number, found "
                    + describe(v) + ".");
        }
        int found = v == null ? 1 : ((Number) v).intValue();
        if (found != known) {
            throw new IllegalArgumentException("Expected " + path + " of record version " + known + ", found version "
                    + found + "; this build does not know how to read it.");
        }
        return found;
    }

    public boolean has(String key) {
        return detail.containsKey(key);
    }

    /** Text that must be present (JSON null is refused). */
    public String string(String key) {
        return as(key, String.class, "text");
    }

    /** Text that may be JSON null; absent is refused. */
    public String nullableString(String key) {
        requirePresent(key);
        return detail.get(key) == null ? null : string(key);
    }

    /**
     * Text a version-1 writer recorded with {@code String.valueOf}: the text {@code "null"} (and a
     * JSON null) read back as null.
     */
    public String legacyString(String key) {
        String s = nullableString(key);
        return "null".equals(s) ? null : s;
    }

    /** Text of a key added after version 1 was first written: empty when an older entry lacks it. */
    public Optional<String> optionalString(String key) {
        return has(key) ? Optional.of(string(key)) : Optional.empty();
    }

    public int integer(String key) {
        Object v = detail.get(key);
        if (v instanceof Integer || v instanceof Long) {
            return Math.toIntExact(((Number) v).longValue());
        }
        throw expected(key, "a whole number", v);
    }

    public double number(String key) {
        return as(key, Number.class, "a number").doubleValue();
    }

    public boolean bool(String key) {
        return as(key, Boolean.class, "true or false");
    }

    public Instant instant(String key) {
        String s = string(key);
        try {
            return Instant.parse(s);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("Expected " + path + "." + key + " to be an ISO-8601 instant, found \"" + s
                    + "\".", e);
        }
    }

    /** A nested object. */
    @SuppressWarnings("unchecked")
    public DetailReader object(String key) {
        return new DetailReader(path + "." + key, as(key, Map.class, "an object"));
    }

    /** The elements of a list of objects, in recorded order. */
    public List<DetailReader> objects(String key) {
        List<?> list = as(key, List.class, "a list");
        List<DetailReader> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw new IllegalArgumentException("Expected " + path + "." + key + "[" + i + "] to be an object, found "
                        + describe(list.get(i)) + ".");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> element = (Map<String, Object>) m;
            out.add(new DetailReader(path + "." + key + "[" + i + "]", element));
        }
        return out;
    }

    /** A list of text, in recorded order. */
    public List<String> strings(String key) {
        List<?> list = as(key, List.class, "a list");
        List<String> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof String s)) {
                throw new IllegalArgumentException("Expected " + path + "." + key + "[" + i + "] to be text, found "
                        + describe(list.get(i)) + ".");
            }
            out.add(s);
        }
        return Collections.unmodifiableList(out);
    }

    /** An object whose every value is a number, name → value in recorded order. */
    public Map<String, Double> numbers(String key) {
        Map<?, ?> map = as(key, Map.class, "an object");
        Map<String, Double> out = new LinkedHashMap<>();
        map.forEach((k, v) -> {
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException("Expected " + path + "." + key + "." + k + " to be a number, found "
                        + describe(v) + ".");
            }
            out.put((String) k, n.doubleValue());
        });
        return Collections.unmodifiableMap(out);
    }

    /** Text naming a constant of {@code type}. */
    public <E extends Enum<E>> E constant(String key, Class<E> type) {
        String s = string(key);
        try {
            return Enum.valueOf(type, s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Expected " + path + "." + key + " to be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) + ", found \"" + s + "\".", e);
        }
    }

    private <T> T as(String key, Class<T> type, String what) {
        Object v = detail.get(key);
        if (!type.isInstance(v)) {
            throw expected(key, what, v);
        }
        return type.cast(v);
    }

    private void requirePresent(String key) {
        if (!detail.containsKey(key)) {
            throw expected(key, "a value", null);
        }
    }

    private IllegalArgumentException expected(String key, String what, Object found) {
        String foundText = !detail.containsKey(key) ? "no such key (keys: " + detail.keySet() + ")" : describe(found);
        return new IllegalArgumentException("Expected " + path + "." + key + " to be " + what + ", found " + foundText
                + ".");
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        return (v instanceof String ? "\"" + v + "\"" : String.valueOf(v)) + " (" + v.getClass().getSimpleName() + ")";
    }
}
