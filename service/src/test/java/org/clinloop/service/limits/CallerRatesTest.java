package org.clinloop.service.limits;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CallerRatesTest {

    static final long SECOND = 1_000_000_000L;
    static final TokenBucket.Rate EHR = new TokenBucket.Rate(100, 10);
    static final TokenBucket.Rate STAFF = new TokenBucket.Rate(10, 4);
    static final TokenBucket.Rate PATIENT = new TokenBucket.Rate(1, 2);

    final AtomicLong clock = new AtomicLong(1000);

    CallerRates rates(int maxCallers, Map<String, TokenBucket.Rate> clients) {
        return new CallerRates(CallerRates.Settings.of(EHR, STAFF, PATIENT,
                client -> Optional.ofNullable(clients.get(client)), maxCallers), clock::get);
    }

    static Caller patient(String sub) {
        return Caller.of(sub, "name-" + sub, "clinloop-devtools", Set.of("patient"));
    }

    @Test
    void aCallerIsCountedByClientWhenASystemAndBySubjectWhenAPerson() {
        Caller gateway = Caller.of("service-account-sub", "service-account-gw", "gw-1", Set.of("ehr-system"));
        assertThat(gateway.key()).isEqualTo("client:gw-1");
        assertThat(gateway.kind()).isEqualTo(Caller.Kind.EHR_SYSTEM);
        assertThat(gateway.described()).isEqualTo("EHR system gw-1");
        Caller clinician = Caller.of("sub-1", "dr.rivera", "clinloop-portal", Set.of("clinician", "patient"));
        assertThat(clinician.key()).isEqualTo("user:sub-1");
        assertThat(clinician.kind()).isEqualTo(Caller.Kind.STAFF);
        assertThat(clinician.described()).isEqualTo("user dr.rivera");
        assertThat(Caller.of(null, "sam.lee", "clinloop-devtools", Set.of("patient")).key()).isEqualTo("user:sam.lee");
        assertThat(Caller.of("s", "nobody", null, Set.of()).kind()).as("no ClinLoop role: the lowest rate")
                .isEqualTo(Caller.Kind.PATIENT);
        assertThat(Caller.of(null, "service-account-x", null, Set.of("ehr-system")).key())
                .isEqualTo("client:service-account-x");
    }

    @Test
    void eachCallerHasABucketOfTheirOwn() {
        CallerRates rates = rates(100, Map.of());
        Caller lee = patient("lee");
        Caller jones = patient("jones");
        assertThat(rates.admit(lee).admitted()).isTrue();
        assertThat(rates.admit(lee).admitted()).isTrue();
        CallerRates.Verdict refused = rates.admit(lee);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.rate()).isEqualTo(PATIENT);
        assertThat(refused.retryAfterSeconds()).isEqualTo(1);
        assertThat(rates.admit(jones).admitted()).as("another patient is not held back").isTrue();
        clock.addAndGet(SECOND);
        assertThat(rates.admit(lee).admitted()).as("one token back after a second").isTrue();
        assertThat(rates.admit(lee).admitted()).isFalse();
    }

    @Test
    void aClientMayHaveItsOwnRateAndTheKindsApplyOtherwise() {
        TokenBucket.Rate slow = new TokenBucket.Rate(0.5, 3);
        CallerRates rates = rates(100, Map.of("it-throttled", slow));
        Caller throttled = Caller.of("s1", "service-account-it-throttled", "it-throttled", Set.of("ehr-system"));
        Caller other = Caller.of("s2", "service-account-clinloop-ehr", "clinloop-ehr", Set.of("ehr-system"));
        assertThat(rates.rateOf(throttled)).isEqualTo(slow);
        assertThat(rates.rateOf(other)).isEqualTo(EHR);
        assertThat(rates.rateOf(Caller.of("s3", "dr.okafor", "it-throttled", Set.of("clinician"))))
                .as("a client's own rate is for the system, not for people signing in through it").isEqualTo(STAFF);
        for (int i = 0; i < 3; i++) {
            assertThat(rates.admit(throttled).admitted()).isTrue();
        }
        CallerRates.Verdict refused = rates.admit(throttled);
        assertThat(refused.admitted()).isFalse();
        assertThat(refused.retryAfterSeconds()).isEqualTo(2);
        for (int i = 0; i < 10; i++) {
            assertThat(rates.admit(other).admitted()).isTrue();
        }
    }

    @Test
    void bucketsThatFilledUpAgainAreForgottenAndTheirCallersLoseNothing() {
        CallerRates rates = rates(100, Map.of());
        for (int i = 0; i < 50; i++) {
            assertThat(rates.admit(patient("p" + i)).admitted()).isTrue();
        }
        assertThat(rates.held()).isEqualTo(50);
        // Half a second on: nobody's bucket is full yet (1 token a second), and no sweep is due.
        clock.addAndGet(SECOND / 2);
        rates.admit(patient("p0"));
        assertThat(rates.held()).isEqualTo(50);
        // Past a second: every bucket but p0's (taken from again) is full, and the sweep forgets them.
        clock.addAndGet(SECOND / 2 + 1);
        rates.admit(patient("p1"));
        assertThat(rates.held()).isBetween(1, 2);
        // p5 comes back with a full bucket, as before.
        assertThat(rates.admit(patient("p5")).admitted()).isTrue();
        assertThat(rates.admit(patient("p5")).admitted()).isTrue();
        assertThat(rates.admit(patient("p5")).admitted()).isFalse();
    }

    @Test
    void atMostMaxCallersAreHeldAndANewOneWaitsForTheNextSweep() {
        CallerRates rates = rates(3, Map.of());
        for (int i = 0; i < 3; i++) {
            assertThat(rates.admit(patient("p" + i)).admitted()).isTrue();
        }
        CallerRates.Verdict crowded = rates.admit(patient("p3"));
        assertThat(crowded.admitted()).isFalse();
        assertThat(crowded.rate()).isNull();
        assertThat(crowded.retryAfterSeconds()).isEqualTo(1);
        assertThat(rates.admit(patient("p0")).admitted()).as("a caller already held goes on").isTrue();
        clock.addAndGet(2 * SECOND);
        assertThat(rates.admit(patient("p3")).admitted()).isTrue();
        assertThat(rates.held()).isLessThanOrEqualTo(3);
    }

    @Test
    void concurrentCallersNeverShareOrLoseTokensWhileSweepsRun() throws Exception {
        // 4 callers × 4 threads on a clock that jumps past a sweep every few requests: each caller is
        // admitted no more than its burst plus what its rate refilled, whatever the interleaving.
        CallerRates rates = rates(1000, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicLong[] admitted = new AtomicLong[4];
        for (int c = 0; c < 4; c++) {
            admitted[c] = new AtomicLong();
        }
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 16; t++) {
            int c = t % 4;
            done.add(pool.submit(() -> {
                for (int i = 0; i < 2000; i++) {
                    if (rates.admit(patient("c" + c)).admitted()) {
                        admitted[c].incrementAndGet();
                    }
                    if (i % 200 == 0) {
                        clock.addAndGet(SECOND / 10);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        long seconds = (clock.get() - 1000) / SECOND + 1;
        for (int c = 0; c < 4; c++) {
            assertThat(admitted[c].get()).as("caller " + c).isGreaterThanOrEqualTo(2)
                    .isLessThanOrEqualTo(PATIENT.burst() + seconds);
        }
    }
}
