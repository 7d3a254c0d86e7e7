package org.clinloop.service.limits;

import jakarta.inject.Inject;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Bounds the request bodies in progress at once ({@link InFlightBudget}), so that a flood of large
 * Bundles is answered 503 with {@code Retry-After} and an OperationOutcome at once instead of
 * exhausting the heap. Counts every request with a body (POST, PUT, PATCH) on {@code /api/*} and
 * {@code /fhir/*}: the ingest of Observations and Bundles, and the other writes, weighed by their
 * declared length. After {@link RequestRate}, before {@code BodyLimit} (see {@code web.xml}).
 *
 * <p>MicroProfile Config: {@code clinloop.limits.in-flight.enabled} (true),
 * {@code clinloop.limits.in-flight.body-bytes} (33554432: four bodies of the largest size, 8 MiB;
 * ARCHITECTURE.md explains the sizing), {@code clinloop.limits.in-flight.retry-after-seconds} (2).
 */
public class InFlightLimit implements Filter {

    private static final Logger LOG = Logger.getLogger(InFlightLimit.class.getName());

    @Inject
    @ConfigProperty(name = "clinloop.limits.in-flight.enabled", defaultValue = "true")
    boolean enabled;
    @Inject
    @ConfigProperty(name = "clinloop.limits.in-flight.body-bytes", defaultValue = "33554432")
    long capacity;
    @Inject
    @ConfigProperty(name = "clinloop.limits.in-flight.retry-after-seconds", defaultValue = "2")
    long retryAfterSeconds;
    @Inject
    @ConfigProperty(name = "clinloop.max-body-bytes", defaultValue = "8388608")
    long maxBody;

    private InFlightBudget budget;

    @Override
    public void init(FilterConfig filterConfig) {
        if (!enabled) {
            LOG.info("The in-flight request limit is off (clinloop.limits.in-flight.enabled=false).");
            return;
        }
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("clinloop.limits.in-flight.retry-after-seconds: expected at least 1, found "
                    + retryAfterSeconds);
        }
        try {
            budget = new InFlightBudget(capacity, maxBody);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("clinloop.limits.in-flight.body-bytes (with clinloop.max-body-bytes "
                    + maxBody + "): " + e.getMessage(), e);
        }
        LOG.info("In-flight request bodies: at most " + capacity + " bytes at once (a request weighs its length, "
                + InFlightBudget.MIN_WEIGHT + " to " + maxBody + " bytes).");
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (budget == null || !(request instanceof HttpServletRequest http)
                || !(response instanceof HttpServletResponse out) || !hasBody(http)) {
            chain.doFilter(request, response);
            return;
        }
        long weight = budget.weigh(http.getContentLengthLong());
        if (!budget.tryTake(weight)) {
            Refusals.refuse(http, out, 503, retryAfterSeconds, "Expected request bodies of at most " + budget.capacity()
                    + " bytes in progress at once, found " + budget.inUse() + " in progress and this one weighing "
                    + weight + "; retry after " + retryAfterSeconds + " s.", maxBody);
            return;
        }
        try {
            chain.doFilter(request, response);
        } finally {
            budget.giveBack(weight);
        }
    }

    private static boolean hasBody(HttpServletRequest http) {
        String method = http.getMethod().toUpperCase(Locale.ROOT);
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }
}
