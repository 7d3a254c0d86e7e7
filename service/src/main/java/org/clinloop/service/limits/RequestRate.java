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
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Per-caller rate limits on {@code /api/*} and {@code /fhir/*}: each signed-in caller has a
 * {@link TokenBucket} ({@link CallerRates}); a request finding it empty is answered 429 with
 * {@code Retry-After} and an OperationOutcome naming the limit, before anything else is done with
 * it. The container has already verified the token (a request without one never gets here: 401);
 * {@code /fhir/metadata} is not counted. Declared first in {@code web.xml}.
 *
 * <p>MicroProfile Config: {@code clinloop.limits.rate.enabled} (true);
 * {@code clinloop.limits.rate.<kind>.per-second} and {@code .burst} for the kinds
 * {@code ehr-system} (1000 / 20000), {@code staff} (50 / 1000) and {@code patient} (5 / 100);
 * {@code clinloop.limits.rate.client.<client-id>.per-second} and {@code .burst}, an EHR system
 * client's own rate (either may be left to the kind's); {@code clinloop.limits.rate.max-callers}
 * (100000).
 */
public class RequestRate implements Filter {

    private static final Logger LOG = Logger.getLogger(RequestRate.class.getName());
    static final String PREFIX = "clinloop.limits.rate.";

    @Inject
    Config config;
    @Inject
    @ConfigProperty(name = "clinloop.max-body-bytes", defaultValue = "8388608")
    long maxBody;

    private CallerRates rates;

    @Override
    public void init(FilterConfig filterConfig) {
        rates = fromConfig(config);
        if (rates == null) {
            LOG.info("Per-caller rate limits are off (" + PREFIX + "enabled=false).");
        } else {
            CallerRates.Settings s = rates.settings();
            LOG.info("Per-caller rate limits: EHR systems " + s.byKind().get(Caller.Kind.EHR_SYSTEM) + " per client, staff "
                    + s.byKind().get(Caller.Kind.STAFF) + " and patients " + s.byKind().get(Caller.Kind.PATIENT)
                    + " per user; clients may have their own (" + PREFIX + "client.<id>.*).");
        }
    }

    /** The rates configured, or null when switched off; a bad value fails start-up naming its key. */
    static CallerRates fromConfig(Config config) {
        if (!config.getOptionalValue(PREFIX + "enabled", Boolean.class).orElse(true)) {
            return null;
        }
        TokenBucket.Rate ehrSystem = rate(config, Caller.Kind.EHR_SYSTEM, 1000, 20_000);
        // Clients' own rates are read when a client is first seen; a bad one fails start-up here instead.
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(PREFIX + "client.") && (name.endsWith(".per-second") || name.endsWith(".burst"))) {
                clientRate(config, name.substring((PREFIX + "client.").length(), name.lastIndexOf('.')), ehrSystem);
            }
        }
        CallerRates.Settings settings = CallerRates.Settings.of(ehrSystem, rate(config, Caller.Kind.STAFF, 50, 1000),
                rate(config, Caller.Kind.PATIENT, 5, 100), client -> clientRate(config, client, ehrSystem),
                config.getOptionalValue(PREFIX + "max-callers", Integer.class).orElse(100_000));
        return new CallerRates(settings, System::nanoTime);
    }

    private static TokenBucket.Rate rate(Config config, Caller.Kind kind, double perSecond, long burst) {
        String key = PREFIX + kind.configName();
        return rate(key, config.getOptionalValue(key + ".per-second", Double.class).orElse(perSecond),
                config.getOptionalValue(key + ".burst", Long.class).orElse(burst));
    }

    /** A client's own rate, when either of its keys is set; the other is the EHR systems' default. */
    private static Optional<TokenBucket.Rate> clientRate(Config config, String client, TokenBucket.Rate ehrSystem) {
        String key = PREFIX + "client." + client;
        Optional<Double> perSecond = config.getOptionalValue(key + ".per-second", Double.class);
        Optional<Long> burst = config.getOptionalValue(key + ".burst", Long.class);
        if (perSecond.isEmpty() && burst.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(rate(key, perSecond.orElse(ehrSystem.perSecond()), burst.orElse(ehrSystem.burst())));
    }

    private static TokenBucket.Rate rate(String key, double perSecond, long burst) {
        try {
            return new TokenBucket.Rate(perSecond, burst);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ".per-second / .burst: " + e.getMessage(), e);
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (rates == null || !(request instanceof HttpServletRequest http)
                || !(response instanceof HttpServletResponse out)
                || !(http.getUserPrincipal() instanceof JsonWebToken jwt) || jwt.getName() == null
                || http.getRequestURI().equals(http.getContextPath() + "/fhir/metadata")) {
            chain.doFilter(request, response);
            return;
        }
        Set<String> groups = jwt.getGroups() == null ? Set.of() : jwt.getGroups();
        Object azp = jwt.getClaim("azp");
        Caller caller = Caller.of(jwt.getSubject(), jwt.getName(), azp == null ? null : text(azp), groups);
        CallerRates.Verdict verdict = rates.admit(caller);
        if (verdict.admitted()) {
            chain.doFilter(request, response);
            return;
        }
        String limit = verdict.rate() == null
                ? "Expected room for another caller's rate limit, found " + rates.held() + " callers held"
                : "Expected at most " + verdict.rate() + " from " + caller.described() + ", found more";
        Refusals.refuse(http, out, 429, verdict.retryAfterSeconds(), limit + "; retry after "
                + verdict.retryAfterSeconds() + " s.", maxBody);
    }

    private static String text(Object claim) {
        return claim instanceof jakarta.json.JsonString s ? s.getString() : claim.toString();
    }
}
