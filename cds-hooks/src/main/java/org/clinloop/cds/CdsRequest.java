package org.clinloop.cds;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A CDS Hooks 2.0 call, as the EHR sent it.
 *
 * @param hook              the hook that fired
 * @param hookInstance      the EHR's id for this firing
 * @param fhirServer        the EHR's FHIR base URL, or null
 * @param fhirAuthorization the OAuth token for it, or null
 * @param context           the hook's context
 * @param prefetch          prefetch key → resource JSON (JSON null when the EHR found nothing)
 */
public record CdsRequest(String hook, String hookInstance, URI fhirServer, FhirAuthorization fhirAuthorization,
                         JsonObject context, Map<String, JsonValue> prefetch) {

    private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

    /**
     * The token for the EHR's FHIR server.
     *
     * @param accessToken the bearer token
     * @param scope       the scopes it was granted, space-separated
     */
    public record FhirAuthorization(String accessToken, String scope) {
        @Override
        public String toString() {
            return "FhirAuthorization[scope=" + scope + "]";
        }
    }

    public CdsRequest {
        prefetch = Map.copyOf(prefetch);
    }

    /** Reads a call's body; refuses one without hook, hookInstance or context, or with a malformed field. */
    public static CdsRequest from(JsonObject body) {
        String hook = text(body, "hook", true);
        String instance = text(body, "hookInstance", true);
        URI server = null;
        String s = text(body, "fhirServer", false);
        if (s != null) {
            try {
                server = new URI(s);
            } catch (URISyntaxException e) {
                throw new InvalidCdsRequestException("expected fhirServer as a URL, found " + clip(s));
            }
        }
        FhirAuthorization auth = null;
        JsonValue a = body.get("fhirAuthorization");
        if (a != null && a.getValueType() != JsonValue.ValueType.NULL) {
            if (!(a instanceof JsonObject o)) {
                throw new InvalidCdsRequestException("expected fhirAuthorization as an object, found " + a.getValueType());
            }
            auth = new FhirAuthorization(text(o, "access_token", true), Objects.requireNonNullElse(
                    text(o, "scope", false), ""));
        }
        JsonValue c = body.get("context");
        if (!(c instanceof JsonObject context)) {
            throw new InvalidCdsRequestException("expected context as an object, found "
                    + (c == null ? "none" : c.getValueType()));
        }
        JsonValue p = body.get("prefetch");
        Map<String, JsonValue> prefetch = Map.of();
        if (p != null && p.getValueType() != JsonValue.ValueType.NULL) {
            if (!(p instanceof JsonObject po)) {
                throw new InvalidCdsRequestException("expected prefetch as an object, found " + p.getValueType());
            }
            prefetch = po;
        }
        return new CdsRequest(hook, instance, server, auth, context, prefetch);
    }

    /** The context's {@code patientId}, a FHIR id. */
    public String patientId() {
        String id = text(context, "patientId", true);
        if (!FHIR_ID.matcher(id).matches()) {
            throw new InvalidCdsRequestException("expected context.patientId as a FHIR id, found " + clip(id));
        }
        return id;
    }

    private static String text(JsonObject o, String key, boolean required) {
        JsonValue v = o.get(key);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            if (required) {
                throw new InvalidCdsRequestException("expected " + key + ", found none");
            }
            return null;
        }
        if (!(v instanceof JsonString s) || s.getString().isBlank() || s.getString().length() > 4096) {
            throw new InvalidCdsRequestException("expected " + key + " as text, found " + v.getValueType());
        }
        return s.getString();
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 79) + "…";
    }
}
