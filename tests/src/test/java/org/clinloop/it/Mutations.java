package org.clinloop.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded mutations of valid FHIR JSON: what a broken gateway, a hostile client or a bad
 * network does to a request. Each mutation says what it did, so a failure can be reproduced
 * from the seed and the index.
 */
final class Mutations {

    /** One request to send: body, content type, extra header (or null) and what was done to it. */
    record Mutant(byte[] body, String contentType, String header, String headerValue, String description) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] CONTENT_TYPES = {
        "application/fhir+json", "application/json", "application/fhir+json; charset=UTF-8", "text/plain",
        "application/xml", "application/fhir+xml", "application/x-www-form-urlencoded", "multipart/form-data",
        "application/octet-stream", "application/fhir+json; charset=bogus-9", "", "*/*", "application/json-patch+json",
    };
    private static final String[] TYPES = {"Observation", "Patient", "Bundle", "Device", "MedicationStatement",
        "OperationOutcome", "AuditEvent", "Provenance", "Task", "observation", "", "Nope", "Binary", "Parameters"};

    static final int MAX_BODY = 10 * 1024 * 1024;

    private final Random rng;

    Mutations(long seed) {
        this.rng = new Random(seed);
    }

    /** One to three mutations of {@code valid}, in JSON unless the transport itself is mutated. */
    Mutant mutate(ObjectNode valid) {
        ObjectNode tree = valid.deepCopy();
        List<String> done = new ArrayList<>();
        int structural = rng.nextInt(3);
        for (int i = 0; i < structural; i++) {
            done.add(structure(tree));
        }
        byte[] body = tree.toString().getBytes(StandardCharsets.UTF_8);
        if (structural == 0 || rng.nextInt(3) == 0) {
            String text = new String(body, StandardCharsets.UTF_8);
            int k = 1 + rng.nextInt(2);
            for (int i = 0; i < k; i++) {
                int before = text.length();
                text = textual(text, done);
                if (text.length() == before && before == 0) {
                    break;
                }
            }
            body = text.getBytes(StandardCharsets.UTF_8);
        }
        if (body.length > MAX_BODY) {
            // Bodies past the service's limit only exercise the 413 (tested on its own); keep the client's upload bounded.
            body = java.util.Arrays.copyOf(body, MAX_BODY);
            done.add("cut to " + MAX_BODY + " bytes");
        }
        String contentType = "application/fhir+json";
        String header = null;
        String headerValue = null;
        int transport = rng.nextInt(12);
        if (transport == 0) {
            contentType = CONTENT_TYPES[rng.nextInt(CONTENT_TYPES.length)];
            done.add("content type '" + contentType + "'");
        } else if (transport == 1) {
            body = invalidUtf8(body);
            done.add("invalid UTF-8 bytes");
        } else if (transport == 2) {
            String[][] headers = {{"Content-Encoding", "gzip"}, {"Content-Encoding", "br"}, {"If-None-Exist", "identifier=|"},
                {"If-None-Exist", "code=%%%"}, {"If-Match", "W/\"nope\""}, {"Prefer", "return=OperationOutcome"},
                {"X-HTTP-Method-Override", "DELETE"}, {"If-None-Exist", "identifier=" + "x".repeat(5000)}};
            String[] h = headers[rng.nextInt(headers.length)];
            header = h[0];
            headerValue = h[1];
            done.add("header " + h[0] + ": " + abbreviate(h[1]));
        }
        return new Mutant(body, contentType, header, headerValue, String.join("; ", done));
    }

    private String structure(ObjectNode root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, "", slots);
        Slot slot = slots.get(rng.nextInt(slots.size()));
        switch (rng.nextInt(9)) {
            case 0 -> {
                slot.remove();
                return "removed " + slot.path;
            }
            case 1, 2 -> {
                JsonNode value = wrongValue();
                slot.set(value);
                return "set " + slot.path + " to " + abbreviate(value.toString());
            }
            case 3 -> {
                ObjectNode target = slot.value instanceof ObjectNode o ? o : root;
                String name = rng.nextBoolean() ? "unknownElement" + rng.nextInt(100) : "_" + slot.name();
                target.set(name, wrongValue());
                return "added unknown element " + name;
            }
            case 4 -> {
                int n = 1 << (10 + rng.nextInt(11)); // 1 KiB .. 1 MiB
                slot.set(NODES.textNode(filler(n)));
                return "set " + slot.path + " to a string of " + n + " characters";
            }
            case 5 -> {
                int depth = 50 + rng.nextInt(rng.nextBoolean() ? 2_000 : 100_000);
                slot.set(deep(depth));
                return "set " + slot.path + " to nesting " + depth + " deep";
            }
            case 6 -> {
                String type = TYPES[rng.nextInt(TYPES.length)];
                root.put("resourceType", type);
                return "resourceType " + type;
            }
            case 7 -> {
                if (slot.value instanceof ArrayNode a && a.size() > 0) {
                    int copies = 1 + rng.nextInt(rng.nextBoolean() ? 5 : 2_000);
                    JsonNode first = a.get(0);
                    for (int i = 0; i < copies; i++) {
                        a.add(first.deepCopy());
                    }
                    return "repeated " + slot.path + "[0] " + copies + " times";
                }
                slot.set(NODES.arrayNode().add(slot.value == null ? NODES.nullNode() : slot.value.deepCopy()));
                return "wrapped " + slot.path + " in an array";
            }
            default -> {
                String[] weird = {"Patient/", "Patient/../../etc/passwd", "Patient/" + "9".repeat(300), "urn:uuid:nope",
                    "Patient?identifier=a|b", "http://elsewhere.example/Patient/1", "#contained", "Patient/ñ☃",
                    "2026-13-45T25:61:00Z", "-1e400", "NaN", "1e400", "\u0000", "' OR 1=1 --", "<script>x</script>",
                    "mmHg", "mm[Hg", "kPa", "[degF]", "Observation/" + "a".repeat(70)};
                String v = weird[rng.nextInt(weird.length)];
                slot.set(NODES.textNode(v));
                return "set " + slot.path + " to '" + abbreviate(v) + "'";
            }
        }
    }

    private String textual(String text, List<String> done) {
        if (text.isEmpty()) {
            done.add("empty body");
            return text;
        }
        int at = rng.nextInt(text.length());
        switch (rng.nextInt(7)) {
            case 0 -> {
                done.add("truncated at " + at);
                return text.substring(0, at);
            }
            case 1 -> {
                int len = 1 + rng.nextInt(Math.min(8, text.length() - at));
                done.add("deleted " + len + " characters at " + at);
                return text.substring(0, at) + text.substring(at + len);
            }
            case 2 -> {
                String[] junk = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\u0000", "\u001f", "\ud800", "//", "/*",
                    "NaN", "-", "1e99999", "true", "null", "'", "\uFEFF"};
                String j = junk[rng.nextInt(junk.length)];
                done.add("inserted '" + escape(j) + "' at " + at);
                return text.substring(0, at) + j + text.substring(at);
            }
            case 3 -> {
                int other = rng.nextInt(text.length());
                char[] cs = text.toCharArray();
                char c = cs[at];
                cs[at] = cs[other];
                cs[other] = c;
                done.add("swapped characters " + at + " and " + other);
                return new String(cs);
            }
            case 4 -> {
                done.add("duplicated the body");
                return text + text;
            }
            case 5 -> {
                done.add("empty body");
                return rng.nextBoolean() ? "" : rng.nextBoolean() ? "null" : "[]";
            }
            default -> {
                done.add("quotes replaced");
                return text.replace('"', '\'');
            }
        }
    }

    private JsonNode wrongValue() {
        return switch (rng.nextInt(12)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(rng.nextBoolean());
            case 2 -> NODES.numberNode(rng.nextInt());
            case 3 -> NODES.numberNode(rng.nextGaussian() * 1e300);
            case 4 -> NODES.numberNode(new java.math.BigDecimal("1e" + (300 + rng.nextInt(10_000))));
            case 5 -> NODES.arrayNode();
            case 6 -> NODES.objectNode();
            case 7 -> NODES.textNode("");
            case 8 -> NODES.textNode(filler(1 + rng.nextInt(40)));
            case 9 -> NODES.arrayNode().add(NODES.objectNode().put("x", 1));
            case 10 -> NODES.numberNode(-rng.nextDouble() * 1000);
            default -> NODES.textNode(String.valueOf(rng.nextLong()));
        };
    }

    /** Nested arrays written out raw: Jackson's own writer refuses trees this deep, which is the point. */
    private static JsonNode deep(int depth) {
        return new RawDeep(depth);
    }

    private static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private String filler(int n) {
        StringBuilder sb = new StringBuilder(n);
        String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.|/é漢";
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(rng.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private byte[] invalidUtf8(byte[] body) {
        byte[] out = body.clone();
        int n = 1 + rng.nextInt(4);
        for (int i = 0; i < n && out.length > 0; i++) {
            out[rng.nextInt(out.length)] = (byte) (0x80 | rng.nextInt(0x80));
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? escape(s) : escape(s.substring(0, 57)) + "…(" + s.length() + ")";
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c < 0x20 || Character.isSurrogate(c) ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }

    /** A place in the tree that can be removed or replaced. */
    private record Slot(JsonNode parent, String field, int index, JsonNode value, String path) {
        String name() {
            return field != null ? field : "item";
        }

        void remove() {
            if (parent instanceof ObjectNode o) {
                o.remove(field);
            } else if (parent instanceof ArrayNode a) {
                a.remove(index);
            }
        }

        void set(JsonNode v) {
            if (parent instanceof ObjectNode o) {
                o.set(field, v);
            } else if (parent instanceof ArrayNode a) {
                a.set(index, v);
            }
        }
    }

    private static void collect(JsonNode node, String path, List<Slot> out) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path + "." + e.getKey();
                out.add(new Slot(o, e.getKey(), -1, e.getValue(), p));
                collect(e.getValue(), p, out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                String p = path + "[" + i + "]";
                out.add(new Slot(a, null, i, a.get(i), p));
                collect(a.get(i), p, out);
            }
        }
    }

    /** Nesting too deep for Jackson's tree: written out raw when the body is serialized. */
    private static final class RawDeep extends com.fasterxml.jackson.databind.node.ValueNode {
        private static final long serialVersionUID = 1L;
        private final int depth;

        RawDeep(int depth) {
            this.depth = depth;
        }

        @Override
        public com.fasterxml.jackson.core.JsonToken asToken() {
            return com.fasterxml.jackson.core.JsonToken.START_ARRAY;
        }

        @Override
        public com.fasterxml.jackson.databind.node.JsonNodeType getNodeType() {
            return com.fasterxml.jackson.databind.node.JsonNodeType.ARRAY;
        }

        @Override
        public String asText() {
            return nested(depth);
        }

        @Override
        public void serialize(com.fasterxml.jackson.core.JsonGenerator g, com.fasterxml.jackson.databind.SerializerProvider p)
                throws java.io.IOException {
            g.writeRawValue(nested(depth));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof RawDeep r && r.depth == depth;
        }

        @Override
        public int hashCode() {
            return depth;
        }

        @Override
        public String toString() {
            return nested(depth);
        }
    }
}
