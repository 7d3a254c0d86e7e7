package org.clinloop.client;

/**
 * How a person's tool gets an access token from the realm for a username and password: as a
 * browser does ({@link BrowserSignIn}, any realm), or with the password grant
 * ({@link KeycloakTokens#password}, the test realm's devtools client only).
 */
@FunctionalInterface
public interface UserSignIn {

    /** An access token for the user; throws {@link IllegalStateException} when Keycloak refuses. */
    String token(String username, String password);
}
