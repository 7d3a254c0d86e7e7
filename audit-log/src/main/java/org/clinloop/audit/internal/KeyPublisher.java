package org.clinloop.audit.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;
import org.clinloop.audit.TreeHeadKey;

/**
 * Records a signing key the first time it signs: in the key table and, as an entry, in the log
 * itself. A key published after another one is a key change: the entry names the keys it follows
 * and the change is logged as SEVERE, since nothing but a deliberate rotation should ever cause it.
 */
@ApplicationScoped
public class KeyPublisher {

    private static final Logger LOG = Logger.getLogger(KeyPublisher.class.getName());
    static final Actor LOG_ACTOR = Actor.system("audit-log");

    @Inject
    AuditStore store;
    @Inject
    AuditLog log;
    @Inject
    Clock clock;

    @Transactional
    public void publish(TreeHeadKey key) {
        List<String> before = store.keys().stream().map(TreeHeadKey::keyId).filter(id -> !id.equals(key.keyId()))
                .sorted().toList();
        if (store.saveKeyIfNew(key, clock.instant())) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("keyId", key.keyId());
            detail.put("algorithm", key.algorithm());
            detail.put("publicKey", key.publicKey());
            if (!before.isEmpty()) {
                detail.put("follows", before);
                LOG.severe("A new audit signing key " + key.keyId() + " signs tree heads after " + before
                        + ": unless this was a planned rotation, the key file was replaced; pin the expected key with"
                        + " clinloop.audit.signing-key-id");
            }
            log.append(AuditEvent.of(AuditEventType.AUDIT_KEY_PUBLISHED, LOG_ACTOR, null, detail));
        }
    }
}
