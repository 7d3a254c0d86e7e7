package org.clinloop.audit;

/**
 * The audit signing key on disk is not the one this installation pinned
 * ({@code clinloop.audit.signing-key-id}): no tree head is signed with it. The log itself still
 * records and chains every event; only the signatures wait for the pinned key.
 */
public class SigningKeyRefusedException extends IllegalStateException {

    public SigningKeyRefusedException(String message) {
        super(message);
    }
}
