/**
 * Limits applied at the edge before any work is done on a request: a rate per caller
 * ({@link org.clinloop.service.limits.RequestRate}, token buckets kept by
 * {@link org.clinloop.service.limits.CallerRates}) and a bound on the request bodies in progress
 * at once ({@link org.clinloop.service.limits.InFlightLimit}). Each refusal is an OperationOutcome
 * with {@code Retry-After}.
 */
package org.clinloop.service.limits;
