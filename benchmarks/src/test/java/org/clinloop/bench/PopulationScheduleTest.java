package org.clinloop.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The population plan keeps the promises its output relies on. */
class PopulationScheduleTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void theDefaultPlanStreamsTheRateWithBurstsHalfInBundles() {
        PopulationSchedule plan = PopulationSchedule.plan(10_000, 110, 600, 13);
        assertThat(plan.bursts).hasSizeBetween(3, 4);
        assertThat(plan.bursts.get(0).start()).isBetween(60.0, 90.0);
        for (int i = 1; i < plan.bursts.size(); i++) {
            assertThat(plan.bursts.get(i).start() - plan.bursts.get(i - 1).start()).isBetween(120.0, 180.0);
        }
        double expected = 110 * (600 - plan.burstSeconds()) + 1100 * plan.burstSeconds();
        assertThat((double) plan.readings).isCloseTo(expected, org.assertj.core.data.Percentage.withPercentage(1));
        long inBundles = plan.requests.stream().filter(PopulationSchedule.Request::bundle)
                .mapToLong(r -> r.readings().length).sum();
        assertThat((double) inBundles / plan.readings).isBetween(0.48, 0.52);
        // Every Bundle but the last (sent when the stream ends) holds 10-100 readings.
        plan.requests.stream().filter(PopulationSchedule.Request::bundle).limit(plan.requests.stream()
                .filter(PopulationSchedule.Request::bundle).count() - 1)
                .forEach(r -> assertThat(r.readings().length).isBetween(10, 100));
        long sampled = 0;
        for (boolean s : plan.sampled) {
            sampled += s ? 1 : 0;
        }
        assertThat((double) sampled / plan.readings).isBetween(0.008, 0.012);
    }

    @Test
    void theSameSeedPlansTheSameRequests() {
        PopulationSchedule a = PopulationSchedule.plan(1000, 30, 120, 7);
        PopulationSchedule b = PopulationSchedule.plan(1000, 30, 120, 7);
        assertThat(a.requests).hasSameSizeAs(b.requests);
        for (int i = 0; i < a.requests.size(); i++) {
            assertThat(a.requests.get(i).dueNanos()).isEqualTo(b.requests.get(i).dueNanos());
            assertThat(a.requests.get(i).readings()).isEqualTo(b.requests.get(i).readings());
        }
        assertThat(a.sampled).isEqualTo(b.sampled);
    }

    @Test
    void eachPatientsReadingsAreFifteenMinutesApartInOrderAndInThePast() {
        PopulationSchedule plan = PopulationSchedule.plan(1000, 30, 120, 13);
        Instant first = plan.firstMeasurement(NOW);
        Instant previous = first;
        for (int i = 0; i < plan.readings; i++) {
            Instant at = plan.measuredAt(first, i);
            assertThat(at).isAfterOrEqualTo(previous).isBefore(NOW);
            if (i >= plan.patients) {
                assertThat(plan.patientOf(i)).isEqualTo(plan.patientOf(i - plan.patients));
                assertThat(Duration.between(plan.measuredAt(first, i - plan.patients), at)).isEqualTo(Duration.ofMinutes(15));
            }
            previous = at;
        }
        long dueBefore = -1;
        for (PopulationSchedule.Request r : plan.requests) {
            assertThat(r.dueNanos()).isGreaterThanOrEqualTo(dueBefore);
            dueBefore = r.dueNanos();
        }
    }

    @Test
    void aStreamBeyondTheDecisionHorizonIsRefused() {
        PopulationSchedule plan = PopulationSchedule.plan(10, 110, 600, 13);
        assertThatThrownBy(() -> plan.firstMeasurement(NOW)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("expected the stream's measurement times to fit in the last 7 days");
    }
}
