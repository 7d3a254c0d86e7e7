package org.clinloop.approval;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The panel's risk: what adds to it, by how much, and that each part is named. */
class PanelTest {

    static final CareGoal GOAL = CareGoal.protocolDefault("p-1");
    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    static SafetyAlert alert(String severity, Instant escalated) {
        return new SafetyAlert("a-" + severity, "p-1", null, "o-1", "hypertensive-crisis", severity, "191/117",
                NOW, SafetyAlert.OPEN, 1, NOW, null, null, escalated);
    }

    static PanelEntry.OpenTask task(TaskPriority priority) {
        return new PanelEntry.OpenTask("t-1", priority, NOW, "INCREASE", 1, 3, "lisinopril 20 mg daily");
    }

    @Test
    void aPatientInTargetWithNothingOpenHasNoRisk() {
        List<String> reasons = new ArrayList<>();
        assertThat(Panel.risk(List.of(), false, null, 121.0, GOAL, false, reasons)).isZero();
        assertThat(reasons).isEmpty();
    }

    @Test
    void eachPartAddsItsWeightAndIsNamed() {
        List<String> reasons = new ArrayList<>();
        int risk = Panel.risk(List.of(alert("high", NOW)), true, task(TaskPriority.STAT), 153.4, GOAL, true, reasons);
        assertThat(risk).isEqualTo(100 + 50 + 60 + 23 + 10);
        assertThat(reasons).containsExactly("1 open high-severity alert(s)", "an alert was escalated",
                "STAT proposal waiting", "week mean systolic 153, 23 above target", "follow-up overdue");
    }

    @Test
    void aModerateAlertWeighsLessThanAHighOneAndDistanceAboveTargetIsCapped() {
        List<String> reasons = new ArrayList<>();
        assertThat(Panel.risk(List.of(alert("moderate", null)), false, task(TaskPriority.ROUTINE), 230.0, GOAL, false,
                reasons)).isEqualTo(40 + 10 + 40);
        reasons.clear();
        assertThat(Panel.risk(List.of(), false, task(TaskPriority.URGENT), null, GOAL, false, reasons)).isEqualTo(30 + 15);
        assertThat(reasons).containsExactly("URGENT proposal waiting", "no reading in the last 7 days");
    }
}
