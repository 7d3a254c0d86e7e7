package org.clinloop.audit.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.Map;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;

/** Records every export in the log it exports (after the exported head, in its own transaction). */
@ApplicationScoped
public class ExportRecorder {

    @Inject
    AuditLog log;

    @Transactional
    void record(@Observes AuditResource.Exported e) {
        log.append(AuditEvent.of(AuditEventType.AUDIT_EXPORTED, e.actor(), null, Map.of(
                "treeSize", e.head().size(), "rootHash", e.head().rootHash(), "keyId", e.head().keyId())));
    }
}
