package org.clinloop.ingest;

/**
 * One thing wrong with a submitted resource.
 *
 * @param expression FHIRPath of the offending element, e.g. {@code Observation.component[0].valueQuantity.code}
 * @param code       FHIR issue type: required, value, invalid, not-found, business-rule …
 * @param message    what was expected and what was found
 */
public record InputProblem(String expression, String code, String message) {
}
