package org.clinloop.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * Shapes of Observations the R4 validator found clean (no error, no warning), so that a reading of
 * a shape seen before is not validated again.
 *
 * <p>A shape is the Observation's JSON, exactly as the validator reads it, with the values that
 * differ from reading to reading masked, and only those, only where they sit, and only when they
 * have a form the validator cannot object to: the resource id and identifier values (FHIR id and
 * token characters, at most 64), references of the form {@code Type/id} (the type kept),
 * {@code effectiveDateTime} and {@code issued} (a valid date-time with seconds and a zone, from
 * 1900 to next year, well inside the years the validator finds reasonable: digits masked, the form kept) and the numbers of {@code value[x]} in the Observation and
 * its components (plain decimals, at most 9 integer and 6 fraction digits: digits masked, lengths
 * kept). Everything else, codes, units, systems, profiles, structure, text, is part of the shape as
 * it was sent. None of the validator's R4 or vital-signs checks depends on a masked value beyond its
 * form: no invariant relates them (ranges and periods, whose ends are compared, are not masked), and
 * the form is what the masks keep. {@code ConformingShapesProperties} checks that any two readings
 * of one shape get the same verdict from the full validator, on generated readings including
 * values of the wrong form.
 *
 * <p>Only clean verdicts are remembered: a reading with anything to report is always validated in
 * full, so that every message it gets names its own values. Bounded: past {@code capacity} shapes
 * the set starts again (a gateway population sends a handful of shapes).
 */
final class ConformingShapes {

    private static final JsonFactory JSON = new JsonFactory();
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._:]{1,64}");
    private static final Pattern REFERENCE = Pattern.compile(
            "(Patient|Device|Practitioner|PractitionerRole|Organization|RelatedPerson|CareTeam)/[A-Za-z0-9\\-.]{1,64}");
    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
    private static final Pattern DECIMAL = Pattern.compile("-?(0|[1-9]\\d{0,8})(\\.\\d{1,6})?");
    private static final Pattern DIGIT = Pattern.compile("\\d");

    /** Where masked values sit, as JSON pointers into the Observation. */
    private static final Pattern AT_ID = Pattern.compile("/id");
    private static final Pattern AT_TOKEN = Pattern.compile("/identifier/\\d+/value");
    private static final Pattern AT_REFERENCE = Pattern.compile("/(subject|device|performer/\\d+)/reference");
    private static final Pattern AT_DATE_TIME = Pattern.compile("/(effectiveDateTime|issued)");
    private static final Pattern AT_NUMBER = Pattern.compile("(/component/\\d+)?/(valueQuantity/value|valueInteger)");

    private final int capacity;
    private final ConcurrentHashMap<String, Boolean> clean = new ConcurrentHashMap<>();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    ConformingShapes(int capacity) {
        this.capacity = capacity;
    }

    /** Whether a reading of this shape was found clean before. */
    boolean conforms(String shape) {
        boolean seen = capacity > 0 && clean.containsKey(shape);
        (seen ? hits : misses).increment();
        return seen;
    }

    /** Remembers a shape the validator found clean. */
    void remember(String shape) {
        if (capacity <= 0) {
            return;
        }
        if (clean.size() >= capacity) {
            clean.clear();
        }
        clean.put(shape, Boolean.TRUE);
    }

    long hits() {
        return hits.sum();
    }

    long misses() {
        return misses.sum();
    }

    /**
     * The shape of {@code json}, an R4 resource in JSON, or null when it is not an Observation (or
     * not JSON the validator would read as one).
     */
    static String shapeOf(String json) {
        StringBuilder shape = new StringBuilder(json.length());
        try (JsonParser p = JSON.createParser(json)) {
            boolean observation = false;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                switch (t) {
                    case START_OBJECT -> shape.append('{');
                    case END_OBJECT -> shape.append('}');
                    case START_ARRAY -> shape.append('[');
                    case END_ARRAY -> shape.append(']');
                    case FIELD_NAME -> text(shape, 'f', p.currentName());
                    case VALUE_STRING -> {
                        String at = p.getParsingContext().pathAsPointer().toString();
                        if (at.equals("/resourceType")) {
                            observation = "Observation".equals(p.getText());
                        }
                        String value = p.getText();
                        String masked = masked(at, value);
                        if (masked != null) {
                            text(shape, 'm', masked);
                        } else {
                            text(shape, 's', value);
                        }
                    }
                    case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                        String at = p.getParsingContext().pathAsPointer().toString();
                        String number = p.getText();
                        if (AT_NUMBER.matcher(at).matches() && DECIMAL.matcher(number).matches()) {
                            text(shape, 'm', DIGIT.matcher(number).replaceAll("9"));
                        } else {
                            text(shape, 'n', number);
                        }
                    }
                    case VALUE_TRUE -> shape.append('T');
                    case VALUE_FALSE -> shape.append('F');
                    case VALUE_NULL -> shape.append('N');
                    default -> {
                        return null;
                    }
                }
            }
            return observation ? shape.toString() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** The mask of a string value at {@code at}, or null when it is part of the shape as sent. */
    private static String masked(String at, String value) {
        if (AT_ID.matcher(at).matches() && ID.matcher(value).matches()) {
            return "id";
        }
        if (AT_TOKEN.matcher(at).matches() && TOKEN.matcher(value).matches()) {
            return "token";
        }
        if (AT_REFERENCE.matcher(at).matches() && REFERENCE.matcher(value).matches()) {
            return value.substring(0, value.indexOf('/'));
        }
        if (AT_DATE_TIME.matcher(at).matches() && validDateTime(value)) {
            return DIGIT.matcher(value).replaceAll("9");
        }
        return null;
    }

    private static boolean validDateTime(String value) {
        if (!DATE_TIME.matcher(value).matches()) {
            return false;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(value);
            int offset = Math.abs(t.getOffset().getTotalSeconds());
            // The validator calls a year outside 1800 … (this year + 80) unreasonable (a warning).
            return t.getYear() >= 1900 && t.getYear() <= Year.now(ZoneOffset.UTC).getValue() + 1
                    && offset <= ZoneOffset.ofHours(14).getTotalSeconds();
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** Length-prefixed and kind-marked ({@code m} for a mask), so that no text can pass for structure or a mask. */
    private static void text(StringBuilder shape, char kind, String text) {
        shape.append(kind).append(text.length()).append(':').append(text);
    }
}
