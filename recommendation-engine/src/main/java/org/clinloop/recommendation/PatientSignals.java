package org.clinloop.recommendation;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the model may know about a patient besides blood pressure and dose, each null when
 * unknown (never assumed normal): the model then sees the value as missing.
 *
 * @param zone        the patient's local time zone, for telling night from day
 * @param age         age in years at the decision
 * @param adherence   share of the expected daily doses the patient reported taken over the 7 days
 *                    before the decision (MedicationStatement), 0–1
 * @param heartRate   mean heart rate over those 7 days, /min
 * @param steps       mean daily step count over those 7 days
 * @param egfr        latest eGFR in the 90 days before, mL/min/1.73 m²
 * @param potassium   latest serum potassium in the 90 days before, mmol/L
 */
public record PatientSignals(ZoneId zone, Double age, Double adherence, Double heartRate, Double steps, Double egfr,
                             Double potassium) {

    /** Nothing known; times read in UTC. */
    public static final PatientSignals UNKNOWN = new PatientSignals(ZoneOffset.UTC, null, null, null, null, null, null);

    public PatientSignals {
        Objects.requireNonNull(zone, "A time zone is required (UTC when unknown).");
        if (adherence != null && (adherence < 0 || adherence > 1)) {
            throw new IllegalArgumentException("Expected adherence 0..1, found " + adherence + ".");
        }
    }

    /** The known values by name, for the input hash and the audit record. */
    public Map<String, Object> known() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zone", zone.getId());
        put(m, "age", age);
        put(m, "adherence", adherence);
        put(m, "heartRate", heartRate);
        put(m, "steps", steps);
        put(m, "egfr", egfr);
        put(m, "potassium", potassium);
        return m;
    }

    private static void put(Map<String, Object> m, String name, Double v) {
        if (v != null) {
            m.put(name, v);
        }
    }
}
