package org.clinloop.audit.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.Map;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.TreeHeadKey;

/** Records a signing key the first time it signs: in the key table and, as an entry, in the log itself. */
@ApplicationScoped
public class KeyPublisher {

    static final Actor LOG_ACTOR = Actor.system("audit-log");

    @Inject
    AuditStore store;
    @Inject
    AuditLog log;
    @Inject
    Clock clock;

    @Transactional
    public void publish(TreeHeadKey key) {
        if (store.saveKeyIfNew(key, clock.instant())) {
            log.append(AuditEvent.of(AuditEventType.AUDIT_KEY_PUBLISHED, LOG_ACTOR, null, Map.of(
                    "keyId", key.keyId(), "algorithm", key.algorithm(), "publicKey", key.publicKey())));
        }
    }
}
