package org.clinloop.audit.outage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class DatabaseUnavailableTest {

    @Test
    void connectionStatesAndShutdownsAreOutagesWhereverTheyAreInTheChain() {
        for (String state : List.of("08001", "08003", "08006", "57P01", "57P02", "57P03", "53300")) {
            SQLException sql = new SQLException("down", state);
            assertThat(DatabaseUnavailable.in(sql)).as(state).isTrue();
            assertThat(DatabaseUnavailable.in(new RuntimeException("wrapped", new IllegalStateException(sql))))
                    .as(state + " as a cause").isTrue();
        }
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 was aborted", "XX000", new int[0]);
        batch.setNextException(new SQLException("terminating connection", "57P01"));
        assertThat(DatabaseUnavailable.in(batch)).as("a batch whose next exception is a shutdown").isTrue();
        RuntimeException suppressed = new RuntimeException("rollback failed");
        suppressed.addSuppressed(new SQLException("closed", "08003"));
        assertThat(DatabaseUnavailable.in(suppressed)).as("suppressed").isTrue();
        assertThat(DatabaseUnavailable.in(new SQLTransientConnectionException("pool wait timed out"))).isTrue();
        assertThat(DatabaseUnavailable.in(new RuntimeException(new ConnectException("Connection refused")))).isTrue();
    }

    @Test
    void faultsAndRefusalsAreNotOutages() {
        assertThat(DatabaseUnavailable.in(new SQLIntegrityConstraintViolationException("duplicate", "23505"))).isFalse();
        assertThat(DatabaseUnavailable.in(new SQLException("relation does not exist", "42P01"))).isFalse();
        assertThat(DatabaseUnavailable.in(new SQLException("no state"))).isFalse();
        assertThat(DatabaseUnavailable.in(new NullPointerException())).isFalse();
        assertThat(DatabaseUnavailable.in(null)).isFalse();
        RuntimeException loop = new RuntimeException("a");
        RuntimeException other = new RuntimeException("b", loop);
        loop.initCause(other);
        assertThat(DatabaseUnavailable.in(loop)).as("a cycle of causes ends").isFalse();
    }

    @Test
    void anOutageIsLoggedOnceWhenItStartsAndOnceWhenItEnds() {
        Logger logger = Logger.getLogger("outage-log-test");
        logger.setUseParentHandlers(false);
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        OutageLog log = new OutageLog(logger, "Loop");
        for (int i = 0; i < 50; i++) {
            assertThat(log.failed(new RuntimeException(new SQLException("refused", "08001")), Level.WARNING, "x")).isTrue();
        }
        assertThat(log.inOutage()).isTrue();
        log.succeeded();
        log.succeeded();
        assertThat(log.failed(new IllegalStateException("a bug"), Level.SEVERE, "failed")).isFalse();
        assertThat(records).extracting(LogRecord::getLevel).containsExactly(Level.WARNING, Level.INFO, Level.SEVERE);
        assertThat(records.get(1).getMessage()).contains("50 attempt(s) failed");
        assertThat(records.get(2).getThrown()).isInstanceOf(IllegalStateException.class);
    }
}
