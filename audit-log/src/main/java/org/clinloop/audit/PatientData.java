package org.clinloop.audit;

/**
 * A value about one patient: sending it to a caller discloses that patient's data. The REST edge
 * names the patients of every value it returns in the read's {@link PatientDataRead} entry, so a
 * value type that holds patient data implements this (records do so by their {@code patientId}
 * component).
 */
public interface PatientData {

    /** The patient this is about, or null when it is about none. */
    String patientId();
}
