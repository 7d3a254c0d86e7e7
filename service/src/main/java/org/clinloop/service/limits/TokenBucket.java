package org.clinloop.service.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket: it holds at most {@code burst} tokens, refills at {@code perSecond}, and each
 * request takes one. Thread-safe without locks.
 *
 * <p>The bucket is kept as one number, the instant at which it will be full again (the "theoretical
 * arrival time" of the generic cell rate algorithm, which admits exactly what a token bucket of the
 * same rate and size admits): taking a token moves that instant one token's interval later, and a
 * take is refused when it would put the instant more than a full bucket's worth of intervals ahead
 * of now. A bucket whose instant has passed is full, and so is indistinguishable from a new one:
 * that is what lets {@link CallerRates} forget it.
 */
public final class TokenBucket {

    /**
     * How fast a caller may go.
     *
     * @param perSecond tokens added per second (the sustained rate); may be fractional
     * @param burst     most tokens held (requests allowed at once after a quiet spell)
     */
    public record Rate(double perSecond, long burst) {
        public Rate {
            if (!(perSecond > 0) || perSecond > 1e9) {
                throw new IllegalArgumentException("Expected a rate of more than 0 and at most 1e9 a second, found "
                        + perSecond);
            }
            if (burst < 1 || burst > 1_000_000_000L) {
                throw new IllegalArgumentException("Expected a burst of 1 to 1e9 requests, found " + burst);
            }
        }

        /** Nanoseconds between two tokens. */
        long interval() {
            return Math.max(1L, Math.round(1e9 / perSecond));
        }

        @Override
        public String toString() {
            String rate = perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond);
            return rate + " requests a second (bursts of " + burst + ")";
        }
    }

    private final Rate rate;
    private final long interval;
    private final long capacity;
    /** When the bucket is full again (nanoTime scale); at or before now means full. */
    private final AtomicLong fullAt;

    /** A full bucket at {@code now} (a {@link System#nanoTime()} reading or any clock of the same scale). */
    public TokenBucket(Rate rate, long now) {
        this.rate = rate;
        this.interval = rate.interval();
        this.capacity = Math.multiplyExact(interval, rate.burst());
        this.fullAt = new AtomicLong(now);
    }

    public Rate rate() {
        return rate;
    }

    /**
     * Takes a token if there is one.
     *
     * @return 0 when a token was taken, else how many nanoseconds until one will be there (more than 0)
     */
    public long take(long now) {
        while (true) {
            long full = fullAt.get();
            long next = (full - now > 0 ? full : now) + interval; // compared by difference: nanoTime may wrap
            long ahead = next - now;
            if (ahead > capacity) {
                return ahead - capacity;
            }
            if (fullAt.compareAndSet(full, next)) {
                return 0;
            }
        }
    }

    /** True when the bucket holds {@code burst} tokens at {@code now}: as good as new. */
    public boolean isFull(long now) {
        return fullAt.get() - now <= 0;
    }
}
