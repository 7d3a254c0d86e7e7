package org.clinloop.fairness;

import java.time.LocalDate;
import java.time.Period;
import java.util.List;
import java.util.Optional;

/**
 * The group attributes of a patient, from wherever patients are kept (fhir-ingest implements it
 * from the FHIR Patient, its US Core race and ethnicity extensions, and the reporting device).
 */
public interface PatientAttributes {

    /** The attributes ClinLoop audits by, in this order. */
    List<String> NAMES = List.of("sex", "age_band", "race", "ethnicity", "device_type");

    /**
     * What is known of one patient; any field may be null (reported as "(missing)").
     *
     * @param sex        administrative gender (FHIR Patient.gender)
     * @param birthDate  birth date, for the age band at the time of each decision
     * @param race       US Core race (OMB category display, or the text)
     * @param ethnicity  US Core ethnicity (OMB category display, or the text)
     * @param deviceType the kind of device the patient's readings come from
     */
    record Profile(String sex, LocalDate birthDate, String race, String ethnicity, String deviceType) {

        /** Age bands: under 45, 45–64, 65–74, 75 and over. */
        public String ageBand(LocalDate on) {
            if (birthDate == null) {
                return null;
            }
            int age = Period.between(birthDate, on).getYears();
            return age < 45 ? "<45" : age < 65 ? "45-64" : age < 75 ? "65-74" : "75+";
        }
    }

    Optional<Profile> profile(String patientId);
}
