package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.audit.Fingerprints;

/**
 * What waits for a clinician, in counts only, with a stamp that changes whenever any waiting task or
 * open alert of their panel comes, goes or is escalated. Three small queries; what a live view
 * polls to know when to reload.
 */
@ApplicationScoped
public class Workloads {

    @Inject
    WorkflowStore store;
    @Inject
    CareTeam careTeam;

    /**
     * A clinician's waiting work.
     *
     * @param proposalsWaiting their REQUESTED approval tasks
     * @param patientsWaiting  distinct patients among those tasks
     * @param openAlerts       unacknowledged alerts of their panel's patients
     * @param highAlerts       of which high severity
     * @param escalatedAlerts  of which escalated
     * @param stamp            hex SHA-256 over the task ids and the alert ids with their escalation; equal
     *                         stamps mean nothing changed
     */
    public record Workload(int proposalsWaiting, int patientsWaiting, int openAlerts, int highAlerts,
                           int escalatedAlerts, String stamp) {
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Workload of(Actor clinician) {
        if (!clinician.hasRole(Roles.CLINICIAN) || clinician.practitionerId() == null) {
            throw new AccessRefusedException("Expected a clinician with a practitioner id, found " + clinician.id() + ".");
        }
        List<Map.Entry<String, String>> tasks = store.waitingTasksOwnedBy(clinician.practitionerId());
        List<String> panel = careTeam.panelOf(clinician.practitionerId(), Panel.MAX_PATIENTS).stream()
                .map(CareTeam.Member::patientId).toList();
        List<SafetyAlert> alerts = store.openAlertsOf(panel);
        TreeSet<String> keys = new TreeSet<>();
        tasks.forEach(t -> keys.add("task:" + t.getKey()));
        alerts.forEach(a -> keys.add("alert:" + a.id() + (a.escalatedAt() == null ? "" : ":escalated")));
        return new Workload(tasks.size(), (int) tasks.stream().map(Map.Entry::getValue).distinct().count(),
                alerts.size(), (int) alerts.stream().filter(a -> "high".equals(a.severity())).count(),
                (int) alerts.stream().filter(a -> a.escalatedAt() != null).count(),
                Fingerprints.sha256Hex(String.join("\n", keys).getBytes(StandardCharsets.UTF_8)));
    }
}
