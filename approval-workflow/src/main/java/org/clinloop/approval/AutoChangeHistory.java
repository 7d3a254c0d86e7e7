package org.clinloop.approval;

import java.time.Instant;

/**
 * The automatic changes already delivered to a patient.
 *
 * @param lastAutoChange  when the last one was delivered, or null
 * @param last30Days      how many in the 30 days before the decision
 */
public record AutoChangeHistory(Instant lastAutoChange, int last30Days) {

    public static final AutoChangeHistory NONE = new AutoChangeHistory(null, 0);
}
