/**
 * The clinician portal: static pages (in {@code META-INF/resources}) that sign in with the
 * realm's public client (authorization code + PKCE) and call the same REST and FHIR APIs as any
 * other client. The only server code is {@link org.clinloop.portal.PortalConfigServlet}, which
 * tells the pages where Keycloak is.
 */
package org.clinloop.portal;
