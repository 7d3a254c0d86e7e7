package org.clinloop.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One step of closed-loop load: {@code concurrency} workers each send one request after another
 * for a fixed time. Only requests that succeeded count towards throughput and latency; a failed
 * request (a non-2xx answer, a refused entry, a timeout) is counted as an error and nothing else.
 * Also reads a server's resident memory and CPU time from /proc (Linux), given its pid.
 */
final class LoadStep {

    /** Sends one unit of work (one request); returns the observations it carried, or throws. */
    interface Unit {
        int run(int worker, long seq) throws Exception;
    }

    /** Thrown by a unit that cannot make another request (its workload is used up): its worker stops. */
    static final class Exhausted extends RuntimeException {
        Exhausted(String message) {
            super(message);
        }
    }

    record Result(String name, int concurrency, long requests, long observations, double seconds, long p50Micros,
                  long p99Micros, long errors, long maxRssKb) {
        double obsPerSecond() {
            return observations / seconds;
        }
    }

    private LoadStep() {
    }

    /** Warms up for a fifth of the step (at least 2 s, not counted), then measures for {@code seconds}. */
    static Result measure(String name, int concurrency, int seconds, Unit unit, long pid) throws Exception {
        runFor(unit, concurrency, Math.max(2, seconds / 5), -1);
        return runFor(unit, concurrency, seconds, pid).named(name, concurrency);
    }

    private record Raw(long requests, long observations, double seconds, long[] micros, long errors, long maxRss) {
        Result named(String name, int c) {
            long[] sorted = micros.clone();
            Arrays.sort(sorted);
            return new Result(name, c, requests, observations, seconds, percentile(sorted, 0.50),
                    percentile(sorted, 0.99), errors, maxRss);
        }
    }

    private static Raw runFor(Unit unit, int concurrency, int seconds, long pid) throws Exception {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicLong requests = new AtomicLong();
        AtomicLong observations = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(concurrency);
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            long[] mine = new long[1 << 18];
            int[] n = new int[1];
            latencies.add(mine);
            counts.add(n);
            int worker = w;
            Thread t = new Thread(() -> {
                long seq = 0;
                try {
                    while (System.nanoTime() < until) {
                        long t0 = System.nanoTime();
                        try {
                            observations.addAndGet(unit.run(worker, seq++));
                            requests.incrementAndGet();
                            if (n[0] < mine.length) {
                                mine[n[0]++] = (System.nanoTime() - t0) / 1000;
                            }
                        } catch (Exhausted e) {
                            // Counted once and the worker stops, rather than spinning on errors.
                            errors.incrementAndGet();
                            System.err.println("worker " + worker + " stopped: " + e.getMessage());
                            break;
                        } catch (Exception e) {
                            if (errors.incrementAndGet() <= 3) {
                                System.err.println("error: " + e.getMessage());
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + w);
            t.start();
        }
        long maxRss = -1;
        while (!done.await(250, TimeUnit.MILLISECONDS)) {
            if (pid > 0) {
                maxRss = Math.max(maxRss, rssKb(pid));
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        int total = counts.stream().mapToInt(c -> c[0]).sum();
        long[] all = new long[total];
        int k = 0;
        for (int i = 0; i < latencies.size(); i++) {
            System.arraycopy(latencies.get(i), 0, all, k, counts.get(i)[0]);
            k += counts.get(i)[0];
        }
        return new Raw(requests.get(), observations.get(), elapsed, all, errors.get(), maxRss);
    }

    static long percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return -1;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }

    /** Resident set size of a process in KiB, or -1 when unknown. */
    static long rssKb(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"), StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    /** User + system CPU time of a process in clock ticks (fields 14 and 15 of /proc/PID/stat), or -1. */
    static long cpuTicks(long pid) {
        if (pid <= 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.UTF_8);
            // The command name (field 2) is in parentheses and may hold spaces; count fields after it.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Waits until none of the given processes uses more than a tenth of a core over a second, or
     * until {@code maxSeconds}; returns the seconds waited. Work a server defers past its answer
     * (a decision queue draining, a background indexer) would otherwise run during the next step
     * and be charged to whichever server is measured then.
     */
    static double settle(int maxSeconds, long... pids) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + maxSeconds * 1_000_000_000L;
        long[] before = Arrays.stream(pids).map(LoadStep::cpuTicks).toArray();
        while (System.nanoTime() < deadline) {
            Thread.sleep(1000);
            long[] now = Arrays.stream(pids).map(LoadStep::cpuTicks).toArray();
            boolean quiet = true;
            for (int i = 0; i < pids.length; i++) {
                // Clock ticks are 1/100 s on Linux: more than 10 ticks in a second is over a tenth of a core.
                if (before[i] >= 0 && now[i] >= 0 && now[i] - before[i] > 10) {
                    quiet = false;
                }
            }
            before = now;
            if (quiet) {
                break;
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }
}
