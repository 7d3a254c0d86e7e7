package org.clinloop.audit;

import java.time.Duration;
import java.time.Instant;

/**
 * Events whose transactions committed but which the log has not chained yet (normally for
 * milliseconds). They are durable, and chained in the order they were staged.
 *
 * @param staged how many wait
 * @param oldest when the oldest of them was staged, or null when none waits
 */
public record AuditBacklog(long staged, Instant oldest) {

    /** How long the oldest has waited at {@code now}; zero when none waits. */
    public Duration age(Instant now) {
        return oldest == null || now.isBefore(oldest) ? Duration.ZERO : Duration.between(oldest, now);
    }
}
