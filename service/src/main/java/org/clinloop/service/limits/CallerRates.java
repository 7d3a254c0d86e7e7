package org.clinloop.service.limits;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * One {@link TokenBucket} per caller. An EHR system's client may have its own rate
 * ({@code clinloop.limits.rate.client.<id>.*}); everyone else gets the rate of their kind.
 *
 * <p>Memory stays bounded: at most once a second, buckets that have filled up again are forgotten
 * (a full bucket is what a new caller gets, so nothing is lost), so only callers seen within the
 * last {@code burst / perSecond} seconds are held; and no more than {@code maxCallers} buckets
 * exist at once: past that, a caller without a bucket is refused until the next sweep frees room.
 */
public final class CallerRates {

    /** How often full buckets are forgotten. */
    static final long SWEEP_NANOS = 1_000_000_000L;

    /**
     * @param byKind     the rate of each kind of caller
     * @param ofClient   a client's own rate, if it has one
     * @param maxCallers most buckets held at once
     */
    public record Settings(Map<Caller.Kind, TokenBucket.Rate> byKind,
                           Function<String, Optional<TokenBucket.Rate>> ofClient, int maxCallers) {
        public Settings {
            byKind = Map.copyOf(byKind);
            for (Caller.Kind k : Caller.Kind.values()) {
                if (!byKind.containsKey(k)) {
                    throw new IllegalArgumentException("Expected a rate for " + k.configName() + ", found none");
                }
            }
            Objects.requireNonNull(ofClient, "Client rates are required (a function answering empty for none).");
            if (maxCallers < 1) {
                throw new IllegalArgumentException("Expected at least 1 caller held, found " + maxCallers);
            }
        }

        public static Settings of(TokenBucket.Rate ehrSystem, TokenBucket.Rate staff, TokenBucket.Rate patient,
                                  Function<String, Optional<TokenBucket.Rate>> ofClient, int maxCallers) {
            Map<Caller.Kind, TokenBucket.Rate> m = new EnumMap<>(Caller.Kind.class);
            m.put(Caller.Kind.EHR_SYSTEM, ehrSystem);
            m.put(Caller.Kind.STAFF, staff);
            m.put(Caller.Kind.PATIENT, patient);
            return new Settings(m, ofClient, maxCallers);
        }
    }

    /**
     * The answer for one request.
     *
     * @param admitted   whether it may go on
     * @param retryNanos when refused, how long until it would be admitted; else 0
     * @param rate       the caller's rate (null when refused because too many callers are held)
     */
    public record Verdict(boolean admitted, long retryNanos, TokenBucket.Rate rate) {
        /** Whole seconds to wait, at least 1 (the unit of {@code Retry-After}). */
        public long retryAfterSeconds() {
            return Math.max(1L, (retryNanos + 999_999_999L) / 1_000_000_000L);
        }
    }

    private final Settings settings;
    private final LongSupplier clock;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    /** @param clock nanoseconds on a monotonic scale, e.g. {@code System::nanoTime} */
    public CallerRates(Settings settings, LongSupplier clock) {
        this.settings = settings;
        this.clock = clock;
        this.lastSweep = new AtomicLong(clock.getAsLong());
    }

    /** Takes a token from the caller's bucket, or says how long to wait. */
    public Verdict admit(Caller caller) {
        long now = clock.getAsLong();
        sweepIfDue(now);
        long[] wait = new long[1];
        TokenBucket.Rate[] rate = new TokenBucket.Rate[1];
        boolean[] crowded = new boolean[1];
        // compute() holds the key's bin while the token is taken, so a sweep never forgets a bucket
        // between the moment it is found and the moment a token is taken from it.
        buckets.compute(caller.key(), (key, bucket) -> {
            if (bucket == null) {
                if (buckets.size() >= settings.maxCallers()) {
                    crowded[0] = true;
                    return null;
                }
                bucket = new TokenBucket(rateOf(caller), now);
            }
            rate[0] = bucket.rate();
            wait[0] = bucket.take(now);
            return bucket;
        });
        if (crowded[0]) {
            return new Verdict(false, Math.max(1L, SWEEP_NANOS - (now - lastSweep.get())), null);
        }
        return new Verdict(wait[0] == 0, wait[0], rate[0]);
    }

    /** The rate a caller gets: their client's own, else their kind's. */
    public TokenBucket.Rate rateOf(Caller caller) {
        if (caller.kind() == Caller.Kind.EHR_SYSTEM && caller.client() != null) {
            Optional<TokenBucket.Rate> own = settings.ofClient().apply(caller.client());
            if (own.isPresent()) {
                return own.get();
            }
        }
        return settings.byKind().get(caller.kind());
    }

    public Settings settings() {
        return settings;
    }

    /** How many callers have a bucket now. */
    public int held() {
        return buckets.size();
    }

    private void sweepIfDue(long now) {
        long last = lastSweep.get();
        if (now - last < SWEEP_NANOS || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        for (String key : buckets.keySet()) {
            buckets.computeIfPresent(key, (k, bucket) -> bucket.isFull(now) ? null : bucket);
        }
    }
}
