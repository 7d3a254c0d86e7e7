/**
 * The FHIR R4 front door. EHRs and wearable gateways POST Observations (alone, or in a
 * transaction or batch Bundle): blood pressure, heart rate, steps, weight, SpO2, and the labs
 * the safety rules need (potassium, eGFR, pregnancy status). Each is checked
 * ({@link org.clinloop.ingest.ObservationRules}: codes, UCUM units converted to the kind's unit,
 * plausible ranges, times), stored once per sender identifier, recorded in the audit log and,
 * for blood pressure, handed to the titration workflow, all in one transaction. Labs reach the
 * rules through {@link org.clinloop.ingest.EhrClinicalContext}. Invalid input is answered with an OperationOutcome naming the element, what was
 * expected and what was found, and nothing is stored.
 *
 * <p>Public surface: {@link org.clinloop.ingest.ObservationIntake} (accept readings),
 * {@link org.clinloop.ingest.PatientDirectory} (patients and the care team),
 * {@link org.clinloop.ingest.InputProblem} (one validation finding),
 * {@link org.clinloop.ingest.ProfileCheck} (structure and R4 profile conformance by HAPI's
 * validator, offline; not yet called by the intake),
 * {@link org.clinloop.ingest.DeviceRegistry} (wearables and reported intake). The HAPI servlet and
 * resource providers live in {@code fhir}; persistence in {@code internal}.
 */
package org.clinloop.ingest;
