package org.clinloop.approval;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.AuditEvent;
import org.clinloop.audit.AuditEventType;
import org.clinloop.audit.AuditLog;

/** The one place a dose change is issued: checked against the hard limits, recorded, then the regimen moves. */
final class Delivery {

    private Delivery() {
    }

    static DoseAdjustment deliver(WorkflowStore store, AuditLog audit, ProtocolLimits limits, Regimen regimen,
                                  String proposalId, int toStep, Actor approver, Actor recorder, Instant now,
                                  boolean modified) {
        if (!BoundsCheck.insideHardLimits(toStep, limits)) {
            throw new BoundsRefusedException(java.util.List.of("expected a dose step within the protocol ladder 0.."
                    + limits.ladder().highestStep() + ", found " + toStep));
        }
        DoseAdjustment adjustment = new DoseAdjustment(UUID.randomUUID().toString(), regimen.patientId(), proposalId,
                regimen.doseStep(), toStep, limits.ladder().drug(), limits.ladder().rxNormCode(),
                limits.ladder().dose(toStep), limits.ladder().unit(),
                approver == null ? DoseAdjustment.AUTO : DoseAdjustment.APPROVED,
                approver == null ? null : approver.id(), now, null, modified, null);
        store.saveAdjustment(adjustment);
        store.saveRegimen(new Regimen(regimen.patientId(), regimen.protocol(), toStep, now,
                approver == null ? recorder.id() : approver.id()));
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("adjustment", adjustment.id());
        detail.put("proposal", proposalId);
        detail.put("fromStep", adjustment.fromStep());
        detail.put("toStep", toStep);
        detail.put("dose", limits.ladder().describe(toStep));
        detail.put("route", adjustment.route());
        detail.put("approvedBy", String.valueOf(adjustment.approvedBy()));
        detail.put("modified", modified);
        audit.append(AuditEvent.of(AuditEventType.ADJUSTMENT_DELIVERED, approver == null ? recorder : approver,
                regimen.patientId(), detail));
        OpenTasks.cancelStale(store, audit, regimen.patientId(), toStep, approver == null ? recorder : approver, now);
        return adjustment;
    }
}
