package org.clinloop.service.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of request bodies may be in progress at once. A request weighs what it declares
 * (at least {@link #MIN_WEIGHT}: even a small one costs memory while it is worked on, at most the
 * largest body accepted; a body of unknown length weighs the largest); it is admitted when its
 * weight still fits, refused at once when it does not, and gives its weight back when answered.
 * Thread-safe without locks.
 */
public final class InFlightBudget {

    /** The least a request with a body weighs: 64 KiB. */
    public static final long MIN_WEIGHT = 64 * 1024;

    private final long capacity;
    private final long maxBody;
    private final AtomicLong inUse = new AtomicLong();

    /**
     * @param capacity bytes of bodies in progress at once
     * @param maxBody  the largest body the service reads ({@code clinloop.max-body-bytes}): what a
     *                 body of unknown length weighs; the capacity must hold at least one such
     */
    public InFlightBudget(long capacity, long maxBody) {
        if (maxBody < 1) {
            throw new IllegalArgumentException("Expected a largest body of at least 1 byte, found " + maxBody);
        }
        if (capacity < Math.max(maxBody, MIN_WEIGHT)) {
            throw new IllegalArgumentException("Expected room for at least one body of the largest size ("
                    + Math.max(maxBody, MIN_WEIGHT) + " bytes), found " + capacity);
        }
        this.capacity = capacity;
        this.maxBody = maxBody;
    }

    /** What a request weighs, from its declared length (-1 when unknown). */
    public long weigh(long declaredLength) {
        if (declaredLength < 0) {
            return Math.max(maxBody, MIN_WEIGHT);
        }
        return Math.max(MIN_WEIGHT, Math.min(declaredLength, maxBody));
    }

    /** Takes {@code weight} if it fits; false (nothing taken) if it does not. */
    public boolean tryTake(long weight) {
        while (true) {
            long used = inUse.get();
            if (used + weight > capacity) {
                return false;
            }
            if (inUse.compareAndSet(used, used + weight)) {
                return true;
            }
        }
    }

    /** Gives back what {@link #tryTake} took. */
    public void giveBack(long weight) {
        long after = inUse.addAndGet(-weight);
        if (after < 0) {
            throw new IllegalStateException("Expected at least " + weight + " bytes in progress to give back, found "
                    + (after + weight));
        }
    }

    public long capacity() {
        return capacity;
    }

    /** Bytes in progress now. */
    public long inUse() {
        return inUse.get();
    }
}
