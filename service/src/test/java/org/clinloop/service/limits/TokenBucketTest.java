package org.clinloop.service.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    static final long SECOND = 1_000_000_000L;

    @Test
    void aNewBucketAdmitsExactlyItsBurstAtOnceThenSaysHowLongToWait() {
        TokenBucket bucket = new TokenBucket(new TokenBucket.Rate(2, 5), 0);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.take(0)).as("take " + i).isZero();
        }
        assertThat(bucket.take(0)).as("the sixth waits one token's interval").isEqualTo(SECOND / 2);
        assertThat(bucket.take(SECOND / 2 - 1)).isEqualTo(1);
        assertThat(bucket.take(SECOND / 2)).isZero();
        assertThat(bucket.take(SECOND / 2)).isEqualTo(SECOND / 2);
    }

    @Test
    void itRefillsAtItsRateAndNeverHoldsMoreThanItsBurst() {
        TokenBucket bucket = new TokenBucket(new TokenBucket.Rate(10, 3), 0);
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.take(0)).isZero();
        }
        // An hour of quiet refills it to 3 tokens, not 36,000.
        long later = 3600 * SECOND;
        assertThat(bucket.isFull(later)).isTrue();
        int admitted = 0;
        while (bucket.take(later) == 0) {
            admitted++;
        }
        assertThat(admitted).isEqualTo(3);
        // Over 10 s at the rate, 10 a second get through.
        int overTen = 0;
        for (long t = later; t < later + 10 * SECOND; t += SECOND / 100) {
            if (bucket.take(t) == 0) {
                overTen++;
            }
        }
        assertThat(overTen).isBetween(99, 101);
    }

    @Test
    void aFractionalRateWaitsSeconds() {
        TokenBucket bucket = new TokenBucket(new TokenBucket.Rate(0.5, 1), 0);
        assertThat(bucket.take(0)).isZero();
        assertThat(bucket.take(0)).isEqualTo(2 * SECOND);
        assertThat(bucket.isFull(SECOND)).isFalse();
        assertThat(bucket.isFull(2 * SECOND)).isTrue();
    }

    @Test
    void itWorksAcrossTheWrapOfNanoTime() {
        long start = Long.MAX_VALUE - SECOND / 4;
        TokenBucket bucket = new TokenBucket(new TokenBucket.Rate(2, 1), start);
        assertThat(bucket.take(start)).isZero();
        assertThat(bucket.take(start + SECOND / 4)).isEqualTo(SECOND / 4);
        assertThat(bucket.take(start + SECOND / 2)).isZero();
    }

    @Test
    void concurrentTakersGetExactlyTheBurstAndNoMore() throws Exception {
        int threads = 8;
        int attemptsEach = 5_000;
        for (int round = 0; round < 20; round++) {
            TokenBucket bucket = new TokenBucket(new TokenBucket.Rate(1, 1000), 42);
            AtomicLong admitted = new AtomicLong();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < attemptsEach; i++) {
                        if (bucket.take(42) == 0) {
                            admitted.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(admitted.get()).as("round " + round).isEqualTo(1000);
        }
    }

    @Test
    void concurrentTakersOnAMovingClockStayWithinTheRate() throws Exception {
        // 4 threads hammer a bucket of 1000/s with a burst of 50 while a shared clock advances 1 ms per
        // step: over 2 s (2000 steps) no more than burst + rate × 2 s may be admitted.
        TokenBucket bucket = new TokenBucket(new TokenBucket.Rate(1000, 50), 0);
        AtomicLong clock = new AtomicLong();
        AtomicLong admitted = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < 20_000; i++) {
                    long now = clock.get();
                    if (now > 2 * SECOND) {
                        break;
                    }
                    if (bucket.take(now) == 0) {
                        admitted.incrementAndGet();
                    }
                    if (i % 10 == 0) {
                        clock.compareAndSet(now, now + SECOND / 1000);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(30, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long elapsed = Math.min(clock.get(), 2 * SECOND);
        assertThat(admitted.get()).isLessThanOrEqualTo(50 + elapsed * 1000 / SECOND + 1);
    }

    @Test
    void aRateIsPositiveAndABurstAtLeastOne() {
        assertThatThrownBy(() -> new TokenBucket.Rate(0, 1)).hasMessageContaining("found 0.0");
        assertThatThrownBy(() -> new TokenBucket.Rate(Double.NaN, 1)).hasMessageContaining("found NaN");
        assertThatThrownBy(() -> new TokenBucket.Rate(1, 0)).hasMessageContaining("burst of 1 to 1e9 requests, found 0");
        assertThat(new TokenBucket.Rate(5, 100)).hasToString("5 requests a second (bursts of 100)");
        assertThat(new TokenBucket.Rate(0.5, 3)).hasToString("0.5 requests a second (bursts of 3)");
    }
}
