package org.clinloop.cds.internal;

import com.nimbusds.jose.jwk.JWKSet;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.clinloop.cds.KeySource;
import org.clinloop.cds.TokenRefusedException;

/**
 * EHR key sets fetched over HTTP(S) (only from URLs the registry allowed), kept five minutes; a
 * refresh for an unknown key id is honoured at most once every ten seconds per URL, so a stream of
 * made-up key ids does not become a stream of fetches. No redirects, 5 s, 64 KiB at most; at most
 * {@value #MAX_CACHED} sets are kept.
 */
@ApplicationScoped
public class JwksFetcher implements KeySource {

    static final Duration KEEP = Duration.ofMinutes(5);
    static final Duration MIN_REFRESH = Duration.ofSeconds(10);
    static final int MAX_BYTES = 64 * 1024;
    /** Key sets kept at once (a jku may name any URL under an allowed prefix). */
    static final int MAX_CACHED = 64;

    private record Cached(JWKSet keys, Instant fetchedAt) {
    }

    private final Map<URI, Cached> cache = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Override
    public JWKSet keys(URI url, boolean refresh) {
        Instant now = Instant.now();
        Cached c = cache.get(url);
        if (c != null && (refresh ? now.isBefore(c.fetchedAt().plus(MIN_REFRESH)) : now.isBefore(c.fetchedAt().plus(KEEP)))) {
            return c.keys();
        }
        JWKSet fetched = fetch(url);
        if (cache.size() >= MAX_CACHED) {
            cache.clear();
        }
        cache.put(url, new Cached(fetched, now));
        return fetched;
    }

    private JWKSet fetch(URI url) {
        try {
            HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (r.statusCode() != 200) {
                    throw new TokenRefusedException(TokenRefusedException.Reason.KEYS, "expected the key set at " + url + " to answer 200, found "
                            + r.statusCode());
                }
                if (body.length > MAX_BYTES) {
                    throw new TokenRefusedException(TokenRefusedException.Reason.KEYS, "expected a key set of at most " + MAX_BYTES + " bytes at " + url
                            + ", found more");
                }
                return JWKSet.parse(new String(body, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new TokenRefusedException(TokenRefusedException.Reason.KEYS, "expected the key set at " + url + " to be reachable, found " + e);
        } catch (ParseException e) {
            throw new TokenRefusedException(TokenRefusedException.Reason.KEYS, "expected a JWK set at " + url + ", found one that cannot be read");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRefusedException(TokenRefusedException.Reason.KEYS, "interrupted while fetching the key set at " + url);
        }
    }
}
