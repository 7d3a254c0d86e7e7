package org.clinloop.audit.web;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads fields of a JSON request body and collects every problem before failing, so that the
 * client learns all that is wrong at once: HTTP 422 with an OperationOutcome.
 */
public final class JsonInput {

    private final JsonObject body;
    private final List<String> problems = new ArrayList<>();

    public JsonInput(JsonObject body) {
        this.body = body;
        if (body == null) {
            problems.add("expected a JSON object body, found none");
        }
    }

    public String requiredString(String name) {
        JsonValue v = value(name, true);
        if (v == null) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            problems.add("expected " + name + " to be a string, found " + v.getValueType());
            return null;
        }
        return ((jakarta.json.JsonString) v).getString();
    }

    public String optionalString(String name) {
        JsonValue v = value(name, false);
        if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (v.getValueType() != JsonValue.ValueType.STRING) {
            problems.add("expected " + name + " to be a string, found " + v.getValueType());
            return null;
        }
        return ((jakarta.json.JsonString) v).getString();
    }

    public int requiredInt(String name) {
        JsonValue v = value(name, true);
        if (v == null) {
            return 0;
        }
        if (!(v instanceof JsonNumber n) || !n.isIntegral()) {
            problems.add("expected " + name + " to be an integer, found " + v);
            return 0;
        }
        return n.intValueExact();
    }

    public double requiredNumber(String name) {
        JsonValue v = value(name, true);
        if (v == null) {
            return Double.NaN;
        }
        if (!(v instanceof JsonNumber n)) {
            problems.add("expected " + name + " to be a number, found " + v);
            return Double.NaN;
        }
        return n.doubleValue();
    }

    public boolean requiredBoolean(String name) {
        JsonValue v = value(name, true);
        if (v == null) {
            return false;
        }
        if (v != JsonValue.TRUE && v != JsonValue.FALSE) {
            problems.add("expected " + name + " to be true or false, found " + v);
            return false;
        }
        return v == JsonValue.TRUE;
    }

    /** Fails with 422 and every problem found so far. */
    public void validate() {
        if (!problems.isEmpty()) {
            throw new WebApplicationException(OperationOutcomes.response(
                    422, "invalid", problems));
        }
    }

    private JsonValue value(String name, boolean required) {
        if (body == null) {
            return null;
        }
        JsonValue v = body.get(name);
        if (v == null && required) {
            problems.add("expected a value for " + name + ", found none");
        }
        return v;
    }
}
