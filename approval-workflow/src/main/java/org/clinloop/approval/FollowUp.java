package org.clinloop.approval;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.clinloop.recommendation.BloodPressureReading;

/**
 * When to see the patient next, by need rather than by calendar: in target four weeks running →
 * three months; unstable (an alert in the last two weeks, or the last week's mean more than
 * 10 mm[Hg] above target) → two weeks; otherwise one month.
 *
 * @param interval  suggested interval until the next visit
 * @param reason    why, in words a clinician reads in five seconds
 */
public record FollowUp(Duration interval, String reason) {

    public static FollowUp suggest(CareGoal goal, List<BloodPressureReading> lastFiveWeeks, int recentAlerts, Instant now) {
        if (recentAlerts > 0) {
            return new FollowUp(Duration.ofDays(14), recentAlerts + " safety alert(s) in the last two weeks: unstable");
        }
        Double lastWeek = meanSystolic(lastFiveWeeks, now.minus(Duration.ofDays(7)), now);
        if (lastWeek == null) {
            return new FollowUp(Duration.ofDays(14), "no readings in the last week: follow up soon");
        }
        if (lastWeek > goal.systolicTarget() + 10) {
            return new FollowUp(Duration.ofDays(14), String.format(java.util.Locale.ROOT,
                    "last week's mean systolic %.0f is more than 10 above the target %.0f: unstable", lastWeek,
                    goal.systolicTarget()));
        }
        boolean inTargetFourWeeks = true;
        for (int week = 0; week < 4; week++) {
            Double mean = meanSystolic(lastFiveWeeks, now.minus(Duration.ofDays(7L * (week + 1))),
                    now.minus(Duration.ofDays(7L * week)));
            inTargetFourWeeks &= mean != null && mean < goal.systolicTarget();
        }
        if (inTargetFourWeeks) {
            return new FollowUp(Duration.ofDays(90), "in target four weeks running: stable");
        }
        return new FollowUp(Duration.ofDays(30), "near target but not yet stable for four weeks");
    }

    private static Double meanSystolic(List<BloodPressureReading> readings, Instant from, Instant to) {
        var window = readings.stream().filter(r -> !r.effective().isBefore(from) && r.effective().isBefore(to)).toList();
        return window.isEmpty() ? null : window.stream().mapToDouble(BloodPressureReading::systolic).average().orElseThrow();
    }
}
