package org.clinloop.fairness;

import java.time.Instant;

/**
 * A report as stored and audit-logged.
 *
 * @param id          report id
 * @param kind        MODEL, HUMAN_LOOP or TABLE
 * @param version     1, 2, … per kind
 * @param createdAt   when it was computed
 * @param createdBy   who asked (or the schedule)
 * @param periodFrom  start of the audited period (null for TABLE)
 * @param periodTo    end of the audited period (null for TABLE)
 * @param contentHash hex SHA-256 of {@code contentJson}, as recorded in the audit log
 * @param contentJson the report in canonical JSON
 */
public record StoredReport(String id, ReportKind kind, int version, Instant createdAt, String createdBy,
                           Instant periodFrom, Instant periodTo, String contentHash, String contentJson) {
}
