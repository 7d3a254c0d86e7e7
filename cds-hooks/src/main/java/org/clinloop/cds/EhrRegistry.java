package org.clinloop.cds;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The EHRs registered for CDS Hooks, read from the JSON file named by {@code clinloop.cds.ehrs-file}
 * and read again when it changes (an EHR is added without a restart). No file, no EHR: every call
 * is refused. A file that does not read is refused as a whole, naming the entry and key, and the
 * last good registrations stay until it is fixed.
 *
 * <pre>{"ehrs": [{"issuer": "https://ehr.example.org",
 *            "jwks": "https://ehr.example.org/.well-known/jwks.json",
 *            "jku": ["https://ehr.example.org/keys/"],
 *            "fhirServers": ["https://ehr.example.org/fhir/"]}]}</pre>
 */
@ApplicationScoped
public class EhrRegistry {

    private static final Logger LOG = Logger.getLogger(EhrRegistry.class.getName());

    @Inject
    @ConfigProperty(name = "clinloop.cds.ehrs-file")
    Optional<String> file;

    private FileTime readAt;
    private Map<String, EhrRegistration> byIssuer = Map.of();

    /** The registration of the EHR that signs as {@code issuer}. */
    public synchronized Optional<EhrRegistration> byIssuer(String issuer) {
        refresh();
        return Optional.ofNullable(byIssuer.get(issuer));
    }

    private void refresh() {
        if (file.isEmpty() || file.get().isBlank()) {
            return;
        }
        Path path = Path.of(file.get());
        try {
            FileTime modified = Files.getLastModifiedTime(path);
            if (modified.equals(readAt)) {
                return;
            }
            try (Reader in = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                byIssuer = parse(in);
            }
            readAt = modified;
            LOG.info(() -> "CDS Hooks: " + byIssuer.size() + " EHR(s) registered from " + path + ": " + byIssuer.keySet());
        } catch (IOException | IllegalArgumentException | JsonException e) {
            LOG.severe(() -> "CDS Hooks: EHR registrations in " + path + " refused, keeping the "
                    + byIssuer.size() + " read before: " + e.getMessage());
        }
    }

    /** Reads a registration file; refuses it whole, naming the entry and key, on any problem. */
    public static Map<String, EhrRegistration> parse(Reader in) {
        JsonObject root;
        try (JsonReader reader = Json.createReader(in)) {
            root = reader.readObject();
        }
        JsonArray ehrs = root.getJsonArray("ehrs");
        if (ehrs == null) {
            throw new IllegalArgumentException("expected an array \"ehrs\", found none");
        }
        Map<String, EhrRegistration> out = new LinkedHashMap<>();
        for (int i = 0; i < ehrs.size(); i++) {
            String at = "ehrs[" + i + "]";
            JsonObject e = ehrs.getJsonObject(i);
            String issuer = string(e, "issuer", at);
            EhrRegistration r = new EhrRegistration(issuer, uri(string(e, "jwks", at), at + ".jwks"),
                    uris(e, "jku", at), uris(e, "fhirServers", at));
            if (out.put(issuer, r) != null) {
                throw new IllegalArgumentException("expected each issuer once, found " + issuer + " again at " + at);
            }
        }
        return Map.copyOf(out);
    }

    private static String string(JsonObject o, String key, String at) {
        JsonValue v = o.get(key);
        if (!(v instanceof JsonString s) || s.getString().isBlank()) {
            throw new IllegalArgumentException("expected " + at + "." + key + " as a string, found " + v);
        }
        return s.getString();
    }

    private static List<URI> uris(JsonObject o, String key, String at) {
        JsonValue v = o.get(key);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof JsonArray a)) {
            throw new IllegalArgumentException("expected " + at + "." + key + " as an array of URLs, found " + v);
        }
        List<URI> out = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            if (!(a.get(i) instanceof JsonString s)) {
                throw new IllegalArgumentException("expected " + at + "." + key + "[" + i + "] as a URL, found " + a.get(i));
            }
            out.add(uri(s.getString(), at + "." + key + "[" + i + "]"));
        }
        return out;
    }

    private static URI uri(String s, String at) {
        try {
            return new URI(s);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("expected " + at + " as a URL, found " + s);
        }
    }
}
