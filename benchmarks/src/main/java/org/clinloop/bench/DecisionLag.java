package org.clinloop.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decision lag of a seeded sample of acknowledged readings: from the moment this client received
 * the reading's 2xx to the moment the decision that covered it was recorded.
 *
 * <p>Measured from the database, not by polling the service: every decision appends one
 * {@code PROPOSAL_MADE} or {@code PROPOSAL_SKIPPED} audit entry naming the readings it {@code covered},
 * and its {@code recorded_at} is taken when the decision's entries are written, at the end of its work
 * and just before its commit (the covered readings leave the outbox in the same commit). Reading the
 * audit table adds no requests to the service under test; polling every sampled patient's
 * {@code /api/patients/{id}/decisions} would (hundreds a second once decisions fall behind). Both clocks
 * are this machine's. A decision recorded before this client had read its 201 (the worker is woken by
 * the reading's commit, the answer still on its way) counts as zero lag.
 */
final class DecisionLag {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sampled readings: observation id → when its acknowledgement arrived here. */
    private final Map<String, Instant> acknowledged = new ConcurrentHashMap<>();
    /** Every covered observation seen so far → when its decision was recorded. */
    private final Map<String, Instant> decided = new HashMap<>();
    private final String jdbc;
    private long afterSequence;
    private long decisionsSeen;

    /** Starts after the audit log's current end: decisions made before the stream are not this run's. */
    DecisionLag(String jdbc) throws SQLException {
        this.jdbc = jdbc;
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(sequence_no), 0) FROM audit_entry");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            afterSequence = rs.getLong(1);
        }
    }

    void acknowledged(String observationId, Instant at) {
        acknowledged.put(observationId, at);
    }

    /** Reads the decisions recorded since the last call. */
    synchronized void refresh() throws Exception {
        try (Connection c = DriverManager.getConnection(jdbc, "postgres", "");
             PreparedStatement ps = c.prepareStatement("SELECT sequence_no, recorded_at, detail FROM audit_entry"
                     + " WHERE sequence_no > ? AND event_type IN ('PROPOSAL_MADE', 'PROPOSAL_SKIPPED')"
                     + " ORDER BY sequence_no")) {
            ps.setLong(1, afterSequence);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    afterSequence = rs.getLong(1);
                    Instant at = rs.getTimestamp(2).toInstant();
                    decisionsSeen++;
                    for (JsonNode id : JSON.readTree(rs.getString(3)).path("covered")) {
                        decided.put(id.asText(), at);
                    }
                }
            }
        }
    }

    /**
     * Lags of the sampled readings decided so far.
     *
     * @param sampled  sampled readings acknowledged
     * @param decided  of those, decided
     * @param p50Millis median lag, or -1 when none was decided
     */
    record Figures(int sampled, int decided, long p50Millis, long p99Millis, long maxMillis) {
    }

    synchronized Figures figures() {
        long[] lags = acknowledged.entrySet().stream().filter(e -> decided.containsKey(e.getKey()))
                .mapToLong(e -> Math.max(0, decided.get(e.getKey()).toEpochMilli() - e.getValue().toEpochMilli()))
                .sorted().toArray();
        return new Figures(acknowledged.size(), lags.length, LoadStep.percentile(lags, 0.50),
                LoadStep.percentile(lags, 0.99), lags.length == 0 ? -1 : lags[lags.length - 1]);
    }

    synchronized long decisionsSeen() {
        return decisionsSeen;
    }

    /** How many of the readings covered by this run's decisions there were. */
    synchronized long readingsCovered() {
        return decided.size();
    }

    static String describe(Figures f) {
        return f.decided() == 0 ? "n/a (" + f.sampled() + " sampled, none decided yet)"
                : String.format(java.util.Locale.ROOT, "p50 %.1f s  p99 %.1f s  max %.1f s  (%d of %d sampled decided)",
                f.p50Millis() / 1000.0, f.p99Millis() / 1000.0, f.maxMillis() / 1000.0, f.decided(), f.sampled());
    }
}
