/**
 * The HAPI FHIR plain server at {@code /fhir}: one servlet, resource providers that parse,
 * authorize and hand off, and the mapping of ClinLoop records to FHIR resources
 * ({@link org.clinloop.ingest.fhir.FhirViews}). Providers are {@code @Dependent} and carry no
 * interceptors, so HAPI sees their annotations on the real class; transactions live in the
 * services they call.
 */
package org.clinloop.ingest.fhir;
