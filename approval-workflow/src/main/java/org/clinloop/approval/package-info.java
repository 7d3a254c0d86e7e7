/**
 * The approval workflow: where a proposal becomes a delivered dose change, a clinician's work
 * item, or nothing. This module is the safety case of the product.
 *
 * <p>Public surface:
 * <ul>
 *   <li>{@link org.clinloop.approval.SafetyBounds} (clinician bounds, versioned) inside
 *       {@link org.clinloop.approval.ProtocolLimits} (hard limits no setting or approval can
 *       exceed), and the patient's {@link org.clinloop.approval.Regimen};</li>
 *   <li>{@link org.clinloop.approval.SafetyRules}: Drools rules deciding the
 *       {@link org.clinloop.approval.Tier} of a proposal, with every rule that fired;</li>
 *   <li>{@link org.clinloop.approval.TitrationWorkflow}: one reading in, a recorded decision
 *       out; {@link org.clinloop.approval.ApprovalQueue} for clinicians;
 *       {@link org.clinloop.approval.Deliveries} for the patient's app;
 *       {@link org.clinloop.approval.TitrationPlans} to author bounds and regimens;</li>
 *   <li>{@link org.clinloop.approval.TierRecorded} (TIER_DECIDED) and
 *       {@link org.clinloop.approval.ReadingRecorded} (OBSERVATION_ACCEPTED, written by ingest):
 *       the versioned records those audit entries are read back as, by
 *       {@link org.clinloop.approval.DecisionReplay} and the FHIR Provenance view;</li>
 *   <li>{@link org.clinloop.approval.CareTeam}: the service provider interface telling which
 *       clinician is responsible for which patient (implemented where patients live).</li>
 * </ul>
 *
 * <p>The invariant: no dose change reaches a patient unless it is inside that patient's active
 * bounds or a named clinician approved it, and nothing ever exceeds the protocol's hard limits.
 */
package org.clinloop.approval;
