package org.clinloop.approval;

/**
 * Where contraindication data comes from (fhir-ingest implements it from Conditions and lab
 * Observations). Without an implementation everything is unknown.
 */
public interface ClinicalContextSource {

    ClinicalContext of(String patientId, java.time.Instant asOf);
}
