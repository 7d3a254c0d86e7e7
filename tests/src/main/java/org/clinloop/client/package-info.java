/**
 * Plain HTTP clients for ClinLoop and its Keycloak realm, as an EHR, a patient app or a
 * clinician's tool would use them: no server code, only the public API.
 */
package org.clinloop.client;
