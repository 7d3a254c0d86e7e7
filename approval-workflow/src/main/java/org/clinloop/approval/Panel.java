package org.clinloop.approval;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clinloop.approval.internal.WorkflowStore;
import org.clinloop.audit.Actor;
import org.clinloop.recommendation.BloodPressureReading;

/**
 * A clinician's panel: every patient whose responsible clinician they are ({@link CareTeam#panelOf}),
 * each with where they stand, riskiest first. Read-only; the clinician sees their own panel only.
 */
@ApplicationScoped
public class Panel {

    /** The most patients one panel lists. */
    public static final int MAX_PATIENTS = 2000;

    @Inject
    WorkflowStore store;
    @Inject
    CareTeam careTeam;
    @Inject
    Clock clock;
    @Inject
    WorkflowSettings settings;
    @Inject
    TitrationPlans plans;

    /** The caller's own panel, riskiest first, then by name. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PanelEntry> of(Actor clinician) {
        if (!clinician.hasRole(Roles.CLINICIAN) || clinician.practitionerId() == null) {
            throw new AccessRefusedException("Expected a clinician with a practitioner id, found " + clinician.id()
                    + " with roles " + clinician.roles() + ".");
        }
        Instant now = clock.instant();
        Map<String, ApprovalTask> openTasks = new HashMap<>();
        for (ApprovalTask t : store.tasksOwnedBy(clinician.practitionerId(), TaskStatus.REQUESTED, 500)) {
            openTasks.merge(t.patientId(), t, (a, b) -> a.createdAt().isAfter(b.createdAt()) ? a : b);
        }
        List<CareTeam.Member> members = careTeam.panelOf(clinician.practitionerId(), MAX_PATIENTS);
        Map<String, List<SafetyAlert>> openAlerts = new HashMap<>();
        for (SafetyAlert a : store.openAlertsOf(members.stream().map(CareTeam.Member::patientId).toList())) {
            openAlerts.computeIfAbsent(a.patientId(), p -> new ArrayList<>()).add(a);
        }
        List<PanelEntry> out = new ArrayList<>();
        for (CareTeam.Member m : members) {
            out.add(entry(m, Optional.ofNullable(openTasks.get(m.patientId())),
                    openAlerts.getOrDefault(m.patientId(), List.of()), now));
        }
        out.sort(Comparator.comparingInt(PanelEntry::risk).reversed()
                .thenComparing(e -> e.name() == null ? e.patientId() : e.name()));
        return out;
    }

    private PanelEntry entry(CareTeam.Member member, Optional<ApprovalTask> task, List<SafetyAlert> alerts, Instant now) {
        String patient = member.patientId();
        Optional<Regimen> regimen = store.regimen(patient);
        CareGoal goal = store.goal(patient).orElseGet(() -> CareGoal.protocolDefault(patient));
        List<BloodPressureReading> history = plans.followUpHistory(patient, now);
        FollowUp followUp = plans.followUp(patient, goal, history, now);
        List<BloodPressureReading> week = history.stream().filter(r -> !r.effective().isBefore(now.minus(Duration.ofDays(7))))
                .toList();
        Double weekSys = week.isEmpty() ? null : week.stream().mapToDouble(BloodPressureReading::systolic).average().orElseThrow();
        Double weekDia = week.isEmpty() ? null : week.stream().mapToDouble(BloodPressureReading::diastolic).average().orElseThrow();
        Boolean inTarget = weekSys == null ? null : weekSys < goal.systolicTarget() && weekDia < goal.diastolicTarget();
        PanelEntry.Reading last = history.isEmpty() ? null : toReading(history.get(history.size() - 1));
        AutonomyState autonomy = store.autonomy(patient, settings.requiredApprovals());
        Optional<SafetyBounds> bounds = store.activeBounds(patient);
        boolean autonomyEnabled = bounds.map(SafetyBounds::autonomyEnabled).orElse(false);
        String dose = regimen.flatMap(r -> Protocols.byId(r.protocol()).filter(l -> l.allows(r.doseStep()))
                .map(l -> l.ladder().describe(r.doseStep()))).orElse(null);
        List<String> ladder = regimen.flatMap(r -> Protocols.byId(r.protocol())).map(l -> java.util.stream.IntStream
                .rangeClosed(0, l.ladder().highestStep()).mapToObj(l.ladder()::describe).toList()).orElse(List.of());
        Instant due = regimen.map(r -> r.since().plus(followUp.interval())).orElse(null);
        boolean overdue = due != null && due.isBefore(now);
        String worst = alerts.stream().map(SafetyAlert::severity).min(Comparator.comparing(s -> !"high".equals(s)))
                .orElse(null);
        boolean escalated = alerts.stream().anyMatch(a -> a.escalatedAt() != null);
        PanelEntry.OpenTask open = task.map(t -> new PanelEntry.OpenTask(t.id(), t.priority(), t.createdAt(),
                t.direction(), t.fromStep(), t.toStep(), t.proposedDose())).orElse(null);
        List<String> reasons = new ArrayList<>();
        int risk = risk(alerts, escalated, open, weekSys, goal, overdue, reasons);
        return new PanelEntry(patient, member.name(), regimen.map(Regimen::protocol).orElse(null),
                regimen.map(Regimen::doseStep).orElse(null), dose, ladder, goal.systolicTarget(), goal.diastolicTarget(), last,
                weekSys, weekDia, inTarget, open, alerts.size(), worst, escalated, followUp.interval().toDays(),
                followUp.reason(), due, overdue, bounds.orElse(null), autonomyEnabled, autonomy.earned(), autonomy.consecutiveApprovals(),
                autonomy.required(), risk, reasons);
    }

    private static PanelEntry.Reading toReading(BloodPressureReading r) {
        return new PanelEntry.Reading(r.effective(), r.systolic(), r.diastolic());
    }

    /**
     * The panel's sort key: what needs the clinician first. An open high-severity alert 100
     * (escalated +50), a moderate one 40; an open proposal STAT 60, URGENT 30, ROUTINE 10; the
     * last week's mean systolic above target, one point per mm[Hg] up to 40; no reading in a week
     * 15; a follow-up overdue 10. Each part that counted is named in {@code reasons}.
     */
    static int risk(List<SafetyAlert> alerts, boolean escalated, PanelEntry.OpenTask task, Double weekSystolic,
                    CareGoal goal, boolean followUpOverdue, List<String> reasons) {
        int risk = 0;
        long high = alerts.stream().filter(a -> "high".equals(a.severity())).count();
        if (high > 0) {
            risk += 100;
            reasons.add(high + " open high-severity alert(s)");
        } else if (!alerts.isEmpty()) {
            risk += 40;
            reasons.add(alerts.size() + " open alert(s)");
        }
        if (escalated) {
            risk += 50;
            reasons.add("an alert was escalated");
        }
        if (task != null) {
            risk += switch (task.priority()) {
                case STAT -> 60;
                case URGENT -> 30;
                case ROUTINE -> 10;
            };
            reasons.add(task.priority() + " proposal waiting");
        }
        if (weekSystolic == null) {
            risk += 15;
            reasons.add("no reading in the last 7 days");
        } else if (weekSystolic > goal.systolicTarget()) {
            int above = (int) Math.min(40, Math.round(weekSystolic - goal.systolicTarget()));
            risk += above;
            reasons.add(String.format(java.util.Locale.ROOT, "week mean systolic %.0f, %d above target", weekSystolic,
                    Math.round(weekSystolic - goal.systolicTarget())));
        }
        if (followUpOverdue) {
            risk += 10;
            reasons.add("follow-up overdue");
        }
        return risk;
    }
}
