package org.clinloop.approval;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.DetailReader;
import org.clinloop.recommendation.BloodPressureReading;

/**
 * What an {@code OBSERVATION_ACCEPTED} audit entry records about a stored reading. Owned here
 * because {@link DecisionReplay} is the lowest reader (it replays from the recorded blood
 * pressure); fhir-ingest writes it.
 *
 * <p>Record version 1 (the only one; entries carry no {@code recordVersion} key). Keys added to
 * version 1 after it was first written are optional and absent in older entries: {@code kind}
 * (every earlier entry is a blood pressure) and {@code source} (who asserted the reading).
 * {@link #toDetail} writes exactly what ingest wrote before this record existed, so a new entry's
 * canonical bytes are unchanged.
 *
 * @param observationId the stored Observation
 * @param kind          fhir-ingest's {@code ObservationKind} name (BLOOD_PRESSURE, POTASSIUM, …);
 *                      empty in entries recorded before other kinds were accepted
 * @param code          the LOINC code as {@code system|code}
 * @param effective     when it was measured
 * @param source        who asserted it ({@code ehr-system}, {@code clinician}, {@code patient},
 *                      {@code system}, {@code unknown}); empty in entries recorded before sources were
 * @param value         the value: a blood pressure, a quantity or a code
 * @param unit          the UCUM unit values of the kind are stored in, or null for a coded kind
 *                      (written as the text "null", read back as null)
 * @param resourceHash  hex SHA-256 of the stored resource's JSON
 * @param warnings      profile warnings, "expression: message", in the order reported
 */
public record ReadingRecorded(String observationId, Optional<String> kind, String code, Instant effective,
                              Optional<String> source, Value value, String unit, String resourceHash,
                              List<String> warnings) {

    /** The version of this record's shape; see the class comment for what version 1 may lack. */
    public static final int RECORD_VERSION = 1;
    public static final AuditEventType TYPE = AuditEventType.OBSERVATION_ACCEPTED;

    public ReadingRecorded {
        Objects.requireNonNull(observationId, "Observation id is required.");
        Objects.requireNonNull(kind, "Kind is required (Optional.empty() when not recorded).");
        Objects.requireNonNull(code, "Code is required.");
        Objects.requireNonNull(effective, "Effective time is required.");
        Objects.requireNonNull(source, "Source is required (Optional.empty() when not recorded).");
        Objects.requireNonNull(value, "Value is required.");
        Objects.requireNonNull(resourceHash, "Resource hash is required.");
        warnings = List.copyOf(warnings);
    }

    /** What was measured or reported: exactly one of a blood pressure, a quantity or a code. */
    public sealed interface Value permits Pressure, Quantity, Coded {
    }

    /** A blood pressure, mm[Hg]. */
    public record Pressure(double systolic, double diastolic) implements Value {
    }

    /** A quantity in the kind's unit. */
    public record Quantity(double value) implements Value {
    }

    /** A coded value (a symptom, a pregnancy status), or null when the reading carried none. */
    public record Coded(String valueCode) implements Value {
    }

    /** A reading accepted now: every key of version 1 present. */
    public static ReadingRecorded accepted(String observationId, String kind, String code, Instant effective,
                                           String source, Value value, String unit, String resourceHash,
                                           List<String> warnings) {
        return new ReadingRecorded(observationId, Optional.of(kind), code, effective, Optional.of(source), value, unit,
                resourceHash, warnings);
    }

    /** The blood pressure this records, for replaying the decision it triggered; empty for other kinds. */
    public Optional<BloodPressureReading> bloodPressure() {
        return value instanceof Pressure p
                ? Optional.of(new BloodPressureReading(observationId, effective, p.systolic(), p.diastolic()))
                : Optional.empty();
    }

    /** The detail of the audit entry: keys, order and value types as ingest has always written them. */
    public Map<String, Object> toDetail() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("observation", observationId);
        kind.ifPresent(k -> d.put("kind", k));
        d.put("code", code);
        d.put("effective", effective.toString());
        source.ifPresent(s -> d.put("source", s));
        if (value instanceof Pressure p) {
            d.put("systolic", p.systolic());
            d.put("diastolic", p.diastolic());
        } else if (value instanceof Quantity q) {
            d.put("value", q.value());
        } else {
            d.put("valueCode", ((Coded) value).valueCode());
        }
        // Version 1 writes a coded kind's absent unit with String.valueOf: the text "null". Kept for
        // byte compatibility; the parser reads it back as null.
        d.put("unit", String.valueOf(unit));
        d.put("resourceHash", resourceHash);
        if (!warnings.isEmpty()) {
            d.put("warnings", warnings);
        }
        return d;
    }

    /** Parses the detail of an OBSERVATION_ACCEPTED entry. */
    public static ReadingRecorded fromEntry(AuditEntry entry) {
        return parse(DetailReader.of(TYPE, entry));
    }

    /**
     * Parses an OBSERVATION_ACCEPTED detail.
     *
     * @throws IllegalArgumentException for an unknown record version or a key of the wrong shape,
     *                                  naming it, expected versus found
     */
    public static ReadingRecorded fromDetail(Map<String, Object> detail) {
        return parse(DetailReader.of(TYPE, detail));
    }

    private static ReadingRecorded parse(DetailReader d) {
        d.requireRecordVersion(RECORD_VERSION);
        Value value;
        if (d.has("systolic")) {
            value = new Pressure(d.number("systolic"), d.number("diastolic"));
        } else if (d.has("value")) {
            value = new Quantity(d.number("value"));
        } else if (d.has("valueCode")) {
            value = new Coded(d.nullableString("valueCode"));
        } else {
            throw new IllegalArgumentException("Expected OBSERVATION_ACCEPTED to record systolic and diastolic, value"
                    + " or valueCode, found none of them.");
        }
        return new ReadingRecorded(d.string("observation"), d.optionalString("kind"), d.string("code"),
                d.instant("effective"), d.optionalString("source"), value, d.legacyString("unit"),
                d.string("resourceHash"), d.has("warnings") ? d.strings("warnings") : List.of());
    }
}
