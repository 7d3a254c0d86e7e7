package org.clinloop.cds;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One EHR allowed to call ClinLoop's CDS services: whose JWTs are believed, where its keys are,
 * and which FHIR servers ClinLoop may fetch from on its behalf.
 *
 * @param issuer      the JWT {@code iss} the EHR signs with, exactly
 * @param jwks        where the EHR publishes its public keys (JWKS)
 * @param jku         URL prefixes a JWT's {@code jku} header may name; empty: {@code jku} is refused
 * @param fhirServers URL prefixes a call's {@code fhirServer} may have; empty: ClinLoop never fetches
 */
public record EhrRegistration(String issuer, URI jwks, List<URI> jku, List<URI> fhirServers) {

    public EhrRegistration {
        Objects.requireNonNull(issuer, "An EHR's issuer is required.");
        Objects.requireNonNull(jwks, "An EHR's JWKS URL is required.");
        requireWebUrl("jwks", jwks);
        jku = List.copyOf(jku);
        fhirServers = List.copyOf(fhirServers);
        jku.forEach(u -> requireWebUrl("jku", u));
        fhirServers.forEach(u -> requireWebUrl("fhirServers", u));
    }

    /** Whether a JWT may name {@code url} as its key set. */
    public boolean allowsJku(URI url) {
        return jku.stream().anyMatch(prefix -> within(url, prefix));
    }

    /** Whether ClinLoop may fetch from the FHIR server at {@code url} for this EHR. */
    public boolean allowsFhirServer(URI url) {
        return fhirServers.stream().anyMatch(prefix -> within(url, prefix));
    }

    /**
     * Whether {@code url} lies under {@code prefix}: same scheme, host and port, no user info, query
     * or fragment, and a path equal to the prefix's or below it at a {@code /} (so that
     * {@code https://ehr/fhir} does not admit {@code https://ehr/fhir-evil}, nor {@code ..} escape).
     */
    static boolean within(URI url, URI prefix) {
        if (url == null || !url.isAbsolute() || url.isOpaque() || url.getRawUserInfo() != null
                || url.getRawQuery() != null || url.getRawFragment() != null || url.getHost() == null) {
            return false;
        }
        URI normal = url.normalize();
        if (!Objects.equals(normal.getRawPath(), url.getRawPath()) || url.getRawPath().contains("%2")
                || url.getRawPath().contains("..")) {
            return false;
        }
        String scheme = url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(prefix.getScheme().toLowerCase(Locale.ROOT))
                || !url.getHost().equalsIgnoreCase(prefix.getHost()) || port(url) != port(prefix)) {
            return false;
        }
        String path = url.getRawPath() == null ? "" : url.getRawPath();
        String base = prefix.getRawPath() == null ? "" : prefix.getRawPath();
        if (base.endsWith("/")) {
            return path.startsWith(base) || path.equals(base.substring(0, base.length() - 1));
        }
        return path.equals(base) || path.startsWith(base + "/");
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }

    private static void requireWebUrl(String key, URI u) {
        if (u == null || !u.isAbsolute() || u.getHost() == null
                || !("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()))) {
            throw new IllegalArgumentException("Expected " + key + " to be an absolute http(s) URL, found " + u + ".");
        }
    }
}
