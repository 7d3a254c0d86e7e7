/**
 * The FHIR R4 front door. EHRs and wearable gateways POST Observations (alone or in a
 * transaction Bundle); each is validated ({@link org.clinloop.ingest.BloodPressureRules}),
 * stored, recorded in the audit log and handed to the titration workflow, all in one
 * transaction. Invalid input is answered with an OperationOutcome naming the element, what was
 * expected and what was found, and nothing is stored.
 *
 * <p>Public surface: {@link org.clinloop.ingest.ObservationIntake} (accept readings),
 * {@link org.clinloop.ingest.PatientDirectory} (patients and the care team),
 * {@link org.clinloop.ingest.InputProblem} (one validation finding). The HAPI servlet and
 * resource providers live in {@code fhir}; persistence in {@code internal}.
 */
package org.clinloop.ingest;
