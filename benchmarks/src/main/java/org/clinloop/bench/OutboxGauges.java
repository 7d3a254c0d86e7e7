package org.clinloop.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The decision pipeline as the service reports it on {@code /metrics} (no token needed), plus the
 * service's resident memory from /proc, sampled once a second into a series the population run
 * reads its outbox depth over time and its drain times from.
 */
final class OutboxGauges {

    /**
     * One scrape.
     *
     * @param at              seconds since the stream started
     * @param patients        {@code clinloop_decisions_outbox_patients}
     * @param readings        {@code clinloop_decisions_outbox_readings}
     * @param oldestSeconds   {@code clinloop_decisions_oldest_pending_seconds}
     * @param coalescing      {@code clinloop_decisions_coalescing_ratio} (NaN before the first decision)
     * @param decisions       {@code clinloop_decisions_total}
     * @param rssKb           the service's VmRSS, or -1
     */
    record Sample(double at, double patients, double readings, double oldestSeconds, double coalescing,
                  double decisions, long rssKb) {
        boolean empty() {
            return patients == 0 && readings == 0;
        }
    }

    private static final Pattern LINE = Pattern.compile("^(clinloop_decisions_[a-z_]+?)(?:\\{[^}]*})?\\s+(\\S+)$",
            Pattern.MULTILINE);

    private final HttpClient http;
    private final URI metrics;
    private final long pid;
    private final List<Sample> series = new ArrayList<>();

    OutboxGauges(HttpClient http, String serviceUrl, long pid) {
        this.http = http;
        this.metrics = URI.create(serviceUrl + "/metrics?scope=application");
        this.pid = pid;
    }

    /** Scrapes now; the sample is kept in the series. Throws when the service does not answer. */
    Sample sample(double at) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5))
                .header("Accept", "text/plain").GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + metrics + ": expected 200, found " + r.statusCode());
        }
        String body = r.body();
        Sample s = new Sample(at, gauge(body, "clinloop_decisions_outbox_patients"),
                gauge(body, "clinloop_decisions_outbox_readings"), gauge(body, "clinloop_decisions_oldest_pending_seconds"),
                gauge(body, "clinloop_decisions_coalescing_ratio"), gauge(body, "clinloop_decisions_total"),
                LoadStep.rssKb(pid));
        synchronized (series) {
            series.add(s);
        }
        return s;
    }

    static double gauge(String body, String name) {
        Matcher m = LINE.matcher(body);
        while (m.find()) {
            if (m.group(1).equals(name)) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new IllegalStateException("expected " + name + " on /metrics, found none");
    }

    List<Sample> series() {
        synchronized (series) {
            return List.copyOf(series);
        }
    }

    Sample last() {
        synchronized (series) {
            return series.isEmpty() ? null : series.get(series.size() - 1);
        }
    }

    long maxRssKb() {
        return series().stream().mapToLong(Sample::rssKb).max().orElse(-1);
    }
}
