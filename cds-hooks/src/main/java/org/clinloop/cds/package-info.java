/**
 * CDS Hooks 2.0 for EHRs: discovery, {@code patient-view}, {@code order-sign} and feedback.
 * Public: {@link org.clinloop.cds.CdsServices}, the registration ({@link org.clinloop.cds.EhrRegistry},
 * {@link org.clinloop.cds.EhrRegistration}), the JWT check ({@link org.clinloop.cds.CdsTokenVerifier}),
 * the card model and the typed audit records {@link org.clinloop.cds.CdsHookCalled} and
 * {@link org.clinloop.cds.CdsFeedbackReceived}. Key fetching, the JWT-id ledger and the card ledger
 * are in {@code internal}; the JAX-RS edge in {@code web}.
 */
package org.clinloop.cds;
