/**
 * Assembly of the ClinLoop service: the JAX-RS application, start-up (schema migrations, the
 * first model candidate), readiness, the clock, and error mapping shared by every REST edge.
 * No clinical decision is made here.
 */
package org.clinloop.service;
