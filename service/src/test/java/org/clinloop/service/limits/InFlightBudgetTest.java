package org.clinloop.service.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InFlightBudgetTest {

    static final long MIB = 1024 * 1024;

    @Test
    void aRequestWeighsItsLengthBetweenTheLeastAndTheLargestBody() {
        InFlightBudget budget = new InFlightBudget(32 * MIB, 8 * MIB);
        assertThat(budget.weigh(100)).isEqualTo(InFlightBudget.MIN_WEIGHT);
        assertThat(budget.weigh(MIB)).isEqualTo(MIB);
        assertThat(budget.weigh(20 * MIB)).as("refused by the body limit right after").isEqualTo(8 * MIB);
        assertThat(budget.weigh(-1)).as("chunked: may be read up to the largest body").isEqualTo(8 * MIB);
    }

    @Test
    void fourLargestBodiesFitTheDefaultAndAFifthIsRefusedUntilOneIsDone() {
        InFlightBudget budget = new InFlightBudget(32 * MIB, 8 * MIB);
        for (int i = 0; i < 4; i++) {
            assertThat(budget.tryTake(8 * MIB)).isTrue();
        }
        assertThat(budget.tryTake(8 * MIB)).isFalse();
        assertThat(budget.tryTake(InFlightBudget.MIN_WEIGHT)).isFalse();
        assertThat(budget.inUse()).isEqualTo(32 * MIB);
        budget.giveBack(8 * MIB);
        assertThat(budget.tryTake(InFlightBudget.MIN_WEIGHT)).isTrue();
        assertThat(budget.tryTake(8 * MIB)).isFalse();
    }

    @Test
    void manySmallRequestsFit() {
        InFlightBudget budget = new InFlightBudget(32 * MIB, 8 * MIB);
        for (int i = 0; i < 512; i++) {
            assertThat(budget.tryTake(budget.weigh(1200))).as("request " + i).isTrue();
        }
        assertThat(budget.tryTake(budget.weigh(1200))).isFalse();
    }

    @Test
    void theBudgetMustHoldOneBodyOfTheLargestSize() {
        assertThatThrownBy(() -> new InFlightBudget(4 * MIB, 8 * MIB))
                .hasMessage("Expected room for at least one body of the largest size (8388608 bytes), found 4194304");
        assertThatThrownBy(() -> new InFlightBudget(32 * MIB, 8 * MIB).giveBack(1))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrentRequestsNeverHoldMoreThanTheBudget() throws Exception {
        InFlightBudget budget = new InFlightBudget(32 * MIB, 8 * MIB);
        AtomicLong held = new AtomicLong();
        AtomicLong most = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int seed = t;
            done.add(pool.submit(() -> {
                java.util.Random rng = new java.util.Random(seed);
                for (int i = 0; i < 2_000; i++) {
                    long w = budget.weigh(rng.nextInt(9 * (int) MIB));
                    if (budget.tryTake(w)) {
                        long now = held.addAndGet(w);
                        most.accumulateAndGet(now, Math::max);
                        java.util.concurrent.locks.LockSupport.parkNanos(20_000); // worked on a while
                        held.addAndGet(-w);
                        budget.giveBack(w);
                    } else {
                        refused.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(most.get()).isLessThanOrEqualTo(32 * MIB);
        assertThat(budget.inUse()).isZero();
        assertThat(refused.get()).as("8 threads of bodies up to 8 MiB meet the 32 MiB bound").isPositive();
    }
}
