package org.clinloop.cds;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The data a service's prefetch templates name: taken from the call's {@code prefetch} where the
 * EHR sent it, else fetched from the EHR's {@code fhirServer} with its {@code fhirAuthorization}
 * token, and then only (a) templates of resource types the token's scopes grant, (b) from a FHIR
 * server on that EHR's allow-list (ClinLoop is never made to call anywhere else), (c) nothing
 * beyond the templates. No redirects, 5 s, 2 MiB per answer.
 */
final class PrefetchResolver {

    private static final Logger LOG = Logger.getLogger(PrefetchResolver.class.getName());
    static final int MAX_BYTES = 2 * 1024 * 1024;
    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * What was found.
     *
     * @param resources  template key → resource (a Bundle for searches)
     * @param prefetched keys the EHR sent
     * @param fetched    queries ClinLoop made
     * @param missing    template key → why it has no data
     */
    record Gathered(Map<String, IBaseResource> resources, List<String> prefetched, List<String> fetched,
                    Map<String, String> missing) {
    }

    private PrefetchResolver() {
    }

    static Gathered gather(CdsRequest request, EhrRegistration ehr, Map<String, String> templates, String patientId) {
        Map<String, IBaseResource> out = new LinkedHashMap<>();
        List<String> prefetched = new ArrayList<>();
        List<String> fetched = new ArrayList<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (Map.Entry<String, String> t : templates.entrySet()) {
            String key = t.getKey();
            String query = t.getValue().replace("{{context.patientId}}", URLEncoder.encode(patientId, StandardCharsets.UTF_8));
            if (request.prefetch().containsKey(key)) {
                JsonValue v = request.prefetch().get(key);
                prefetched.add(key);
                if (v.getValueType() == JsonValue.ValueType.NULL) {
                    missing.put(key, "the EHR found no data");
                    continue;
                }
                out.put(key, parse(v.toString(), "prefetch." + key));
                continue;
            }
            Optional<String> refused = refusal(request, ehr, query);
            if (refused.isPresent()) {
                missing.put(key, refused.get());
                continue;
            }
            URI url = URI.create(stripSlash(request.fhirServer().toString()) + "/" + encoded(query));
            fetched.add(query);
            fetch(url, request.fhirAuthorization().accessToken(), key).ifPresentOrElse(r -> out.put(key, r),
                    () -> missing.put(key, "the EHR's FHIR server did not answer it"));
        }
        return new Gathered(out, prefetched, fetched, missing);
    }

    /** Why {@code query} may not be fetched for this call, if it may not. */
    static Optional<String> refusal(CdsRequest request, EhrRegistration ehr, String query) {
        if (request.fhirServer() == null || request.fhirAuthorization() == null) {
            return Optional.of("not sent, and no fhirServer with fhirAuthorization to fetch it from");
        }
        if (!ehr.allowsFhirServer(request.fhirServer())) {
            throw new InvalidCdsRequestException("expected fhirServer under one registered for " + ehr.issuer() + " "
                    + ehr.fhirServers() + ", found " + request.fhirServer());
        }
        String type = query.split("[/?]", 2)[0];
        if (!grants(request.fhirAuthorization().scope(), type)) {
            return Optional.of("not sent, and fhirAuthorization grants no read of " + type);
        }
        return Optional.empty();
    }

    /** Whether SMART scopes (v1 {@code patient/Observation.read}, v2 {@code patient/Observation.rs}) let one read {@code type}. */
    static boolean grants(String scopes, String type) {
        for (String scope : scopes.trim().split("\\s+")) {
            String[] parts = scope.split("/", 2);
            if (parts.length != 2 || !List.of("patient", "user", "system").contains(parts[0])) {
                continue;
            }
            int dot = parts[1].lastIndexOf('.');
            if (dot < 0) {
                continue;
            }
            String resource = parts[1].substring(0, dot);
            String permission = parts[1].substring(dot + 1).split("\\?", 2)[0].toLowerCase(Locale.ROOT);
            boolean reads = permission.equals("read") || permission.equals("*")
                    || permission.matches("c?r?u?d?s?") && (permission.contains("r") || permission.contains("s"));
            if (reads && (resource.equals(type) || resource.equals("*"))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<IBaseResource> fetch(URI url, String token, String key) {
        try {
            HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/fhir+json").header("Authorization", "Bearer " + token).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                byte[] body = in.readNBytes(MAX_BYTES + 1);
                if (r.statusCode() != 200 || body.length > MAX_BYTES) {
                    LOG.warning(() -> "CDS prefetch " + key + " from " + url + ": " + r.statusCode()
                            + (body.length > MAX_BYTES ? ", over " + MAX_BYTES + " bytes" : ""));
                    return Optional.empty();
                }
                return Optional.of(parse(new String(body, StandardCharsets.UTF_8), key + " from the FHIR server"));
            }
        } catch (IOException | InvalidCdsRequestException e) {
            LOG.warning(() -> "CDS prefetch " + key + " from " + url + " failed: " + e);
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static IBaseResource parse(String json, String where) {
        try {
            return FHIR.newJsonParser().parseResource(json);
        } catch (DataFormatException e) {
            throw new InvalidCdsRequestException("expected a FHIR R4 resource in " + where + ", found one that does not "
                    + "parse (" + e.getMessage() + ")");
        }
    }

    /** The query with each parameter's value percent-encoded (a token's {@code |} is not allowed in a URL). */
    static String encoded(String query) {
        int q = query.indexOf('?');
        if (q < 0) {
            return query;
        }
        StringBuilder out = new StringBuilder(query.substring(0, q + 1));
        String[] params = query.substring(q + 1).split("&");
        for (int i = 0; i < params.length; i++) {
            String[] nv = params[i].split("=", 2);
            out.append(i == 0 ? "" : "&").append(nv[0]);
            if (nv.length == 2) {
                out.append('=').append(nv[1].contains("%") ? nv[1] : URLEncoder.encode(nv[1], StandardCharsets.UTF_8));
            }
        }
        return out.toString();
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
