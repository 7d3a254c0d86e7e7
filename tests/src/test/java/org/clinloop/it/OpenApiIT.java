package org.clinloop.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, OpenAPI: the contract at /openapi (public) describes every JAX-RS method of the
 * deployed WAR with its roles, its errors as OperationOutcome, and examples that validate against
 * their schemas. The methods are read by reflection from the very WAR the server runs.
 */
class OpenApiIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static JsonNode doc;
    static URLClassLoader war;
    /** "POST /api/tasks/{id}/approve" → the roles of its @RolesAllowed (null: @PermitAll). */
    static Map<String, List<String>> methods;
    static Path unpacked;

    @BeforeAll
    static void fetchTheContractAndReadTheWar() throws Exception {
        ItEnvironment.clinic(); // the service is up
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(ItEnvironment.SERVICE + "/openapi?format=JSON")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("/openapi without a token").isEqualTo(200);
        doc = JSON.readTree(r.body());
        methods = resourceMethods(Path.of(Objects.requireNonNull(System.getProperty("service.war"), "service.war")));
    }

    @AfterAll
    static void close() throws IOException {
        if (war != null) {
            war.close();
        }
    }

    @Test
    void everyResourceMethodIsDescribedWithItsRoles() {
        assertThat(methods.keySet()).as("resource methods found in the WAR").anyMatch(k -> k.startsWith("POST /api/"))
                .anyMatch(k -> k.contains(" /cds-services")).hasSizeGreaterThan(40);
        Map<String, JsonNode> described = operations();
        List<String> problems = new ArrayList<>();
        methods.forEach((key, roles) -> {
            JsonNode op = described.get(key);
            if (op == null) {
                problems.add(key + ": not in the document");
                return;
            }
            JsonNode xRoles = op.get("x-roles");
            List<String> documented = new ArrayList<>();
            if (xRoles == null) {
                problems.add(key + ": no x-roles");
                return;
            }
            xRoles.forEach(n -> documented.add(n.asText()));
            List<String> expected = roles == null ? List.of() : roles;
            if (!Set.copyOf(documented).equals(Set.copyOf(expected))) {
                problems.add(key + ": x-roles " + documented + ", @RolesAllowed " + expected);
            }
            JsonNode security = op.get("security");
            boolean needsToken = security != null && security.size() > 0;
            if (key.contains(" /api") && needsToken != (roles != null)) {
                problems.add(key + ": security " + security + " for roles " + roles);
            }
        });
        described.keySet().stream().filter(k -> !methods.containsKey(k))
                .forEach(k -> problems.add(k + ": in the document but no resource method"));
        assertThat(problems).isEmpty();
        assertThat(doc.at("/components/securitySchemes/keycloakJwt/scheme").asText()).isEqualTo("bearer");
        assertThat(described.get("POST /api/tasks/{id}/approve").get("security").get(0).has("keycloakJwt")).isTrue();
    }

    @Test
    void errorResponsesAreOperationOutcomes() {
        JsonNode outcome = doc.at("/components/schemas/OperationOutcome");
        assertThat(outcome.at("/properties/resourceType/enum/0").asText()).isEqualTo("OperationOutcome");
        List<String> problems = new ArrayList<>();
        operations().forEach((key, op) -> {
            if (!key.contains(" /api")) {
                return;
            }
            JsonNode responses = op.get("responses");
            if (responses == null) {
                problems.add(key + ": no responses");
                return;
            }
            if (!methods.containsKey(key) || methods.get(key) != null) {
                for (String status : List.of("401", "403")) {
                    if (responses.get(status) == null) {
                        problems.add(key + ": no " + status);
                    }
                }
            }
            if (key.contains("{") && responses.get("404") == null) {
                problems.add(key + ": no 404");
            }
            if (responses.get("503") == null) {
                problems.add(key + ": no 503");
            }
            Iterator<Map.Entry<String, JsonNode>> it = responses.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().startsWith("4") || e.getKey().startsWith("5")) {
                    String ref = e.getValue().at("/content/application~1fhir+json/schema/$ref").asText();
                    if (!ref.equals("#/components/schemas/OperationOutcome")) {
                        problems.add(key + " " + e.getKey() + ": body " + e.getValue());
                    }
                }
            }
        });
        assertThat(problems).isEmpty();
    }

    @Test
    void everyExampleValidatesAgainstItsSchema() {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        List<String> checked = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        operations().forEach((key, op) -> {
            List<JsonNode> media = new ArrayList<>();
            op.at("/requestBody/content").forEach(media::add);
            op.path("responses").forEach(resp -> resp.path("content").forEach(media::add));
            for (JsonNode m : media) {
                List<JsonNode> examples = new ArrayList<>();
                if (m.has("example")) {
                    examples.add(m.get("example"));
                }
                m.path("examples").forEach(ex -> examples.add(ex.get("value")));
                for (JsonNode example : examples) {
                    checked.add(key);
                    validate(registry, key, m.get("schema"), example, problems);
                }
            }
        });
        doc.at("/components/schemas").fields().forEachRemaining(e -> {
            if (e.getValue().has("example")) {
                checked.add(e.getKey());
                validate(registry, e.getKey(), e.getValue(), e.getValue().get("example"), problems);
            }
        });
        assertThat(checked).as("examples checked").contains("POST /api/patients/{patient}/bounds",
                "POST /api/tasks/{id}/approve", "POST /api/tasks/{id}/modify", "POST /api/tasks/{id}/reject",
                "POST /api/models/rollback", "OperationOutcome");
        assertThat(problems).isEmpty();

        // And the validation can fail: a rejection without its reason is refused by the schema.
        List<String> refused = new ArrayList<>();
        validate(registry, "bad", operations().get("POST /api/tasks/{id}/reject")
                .at("/requestBody/content/application~1json/schema"), JSON.createObjectNode().put("note", "x"), refused);
        assertThat(refused).hasSize(1);
    }

    @Test
    void theBoundsExampleIsAcceptedByTheService() {
        var clinic = ItEnvironment.clinic();
        String patient = ItEnvironment.newPatient(org.clinloop.client.Clinic.RIVERA, "dr-rivera", 1, null);
        JsonNode example = operations().get("POST /api/patients/{patient}/bounds")
                .at("/requestBody/content/application~1json/example");
        var r = clinic.api().post("/api/patients/" + patient + "/bounds",
                clinic.clinician(org.clinloop.client.Clinic.RIVERA), org.clinloop.client.ClinLoopClient.JSON_TYPE,
                example.toString());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    @Test
    void theViewerLoadsNothingFromElsewhere() throws Exception {
        HttpResponse<String> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build().send(
                HttpRequest.newBuilder(URI.create(ItEnvironment.SERVICE + "/openapi/ui/")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        var external = java.util.regex.Pattern.compile("(?:src|href)\\s*=\\s*[\"']((?:https?:)?//[^\"']+)").matcher(r.body())
                .results().map(m -> m.group(1)).toList();
        assertThat(external).as("scripts and styles from other hosts").isEmpty();
    }

    static void validate(SchemaRegistry registry, String where, JsonNode schema, JsonNode example, List<String> problems) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("allOf").add(schema);
        root.set("components", doc.get("components"));
        var errors = registry.getSchema(root).validate(example);
        if (!errors.isEmpty()) {
            problems.add(where + ": " + example + " → " + errors);
        }
    }

    /** "METHOD /path" → the operation, for every operation in the document. */
    static Map<String, JsonNode> operations() {
        Map<String, JsonNode> out = new TreeMap<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(o -> {
            if (Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(o.getKey())) {
                out.put(o.getKey().toUpperCase() + " " + p.getKey(), o.getValue());
            }
        }));
        return out;
    }

    // ---- the WAR's resource methods, by reflection over its classes ----

    static Map<String, List<String>> resourceMethods(Path warFile) throws Exception {
        unpacked = Files.createTempDirectory("openapi-it-war");
        List<URL> urls = new ArrayList<>();
        List<String> classNames = new ArrayList<>();
        try (JarFile jar = new JarFile(warFile.toFile())) {
            for (JarEntry e : java.util.Collections.list(jar.entries())) {
                if (e.getName().startsWith("WEB-INF/lib/") && e.getName().endsWith(".jar")) {
                    Path lib = unpacked.resolve(e.getName().substring("WEB-INF/lib/".length()));
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, lib, StandardCopyOption.REPLACE_EXISTING);
                    }
                    urls.add(lib.toUri().toURL());
                    try (JarInputStream entries = new JarInputStream(Files.newInputStream(lib))) {
                        for (JarEntry c = entries.getNextJarEntry(); c != null; c = entries.getNextJarEntry()) {
                            addClinloopClass(c.getName(), classNames);
                        }
                    }
                } else if (e.getName().startsWith("WEB-INF/classes/") && !e.isDirectory()) {
                    Path file = unpacked.resolve("classes").resolve(e.getName().substring("WEB-INF/classes/".length()));
                    Files.createDirectories(file.getParent());
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                    addClinloopClass(e.getName().substring("WEB-INF/classes/".length()), classNames);
                }
            }
        }
        urls.add(0, unpacked.resolve("classes").toUri().toURL());
        war = new URLClassLoader(urls.toArray(URL[]::new), OpenApiIT.class.getClassLoader());
        List<Class<?>> classes = new ArrayList<>();
        for (String name : classNames) {
            try {
                classes.add(Class.forName(name, false, war));
            } catch (ClassNotFoundException | LinkageError e) {
                // not loadable outside the server: cannot carry JAX-RS annotations we read
            }
        }
        // Which application owns a resource: the one listing it, else the one listing nothing.
        Map<Class<?>, String> owner = new LinkedHashMap<>();
        String everythingElse = null;
        for (Class<?> c : classes) {
            if (jakarta.ws.rs.core.Application.class.isAssignableFrom(c) && c.isAnnotationPresent(jakarta.ws.rs.ApplicationPath.class)) {
                String path = c.getAnnotation(jakarta.ws.rs.ApplicationPath.class).value();
                Set<Class<?>> listed = ((jakarta.ws.rs.core.Application) c.getDeclaredConstructor().newInstance()).getClasses();
                if (listed.isEmpty()) {
                    everythingElse = path;
                } else {
                    listed.forEach(l -> owner.put(l, path));
                }
            }
        }
        Map<String, List<String>> out = new TreeMap<>();
        for (Class<?> c : classes) {
            jakarta.ws.rs.Path classPath = c.getAnnotation(jakarta.ws.rs.Path.class);
            if (classPath == null || Modifier.isAbstract(c.getModifiers())) {
                continue;
            }
            String app = owner.getOrDefault(c, everythingElse);
            for (Method m : c.getMethods()) {
                String http = null;
                for (Annotation a : m.getAnnotations()) {
                    if (a.annotationType().isAnnotationPresent(jakarta.ws.rs.HttpMethod.class)) {
                        http = a.annotationType().getAnnotation(jakarta.ws.rs.HttpMethod.class).value();
                    }
                }
                if (http == null) {
                    continue;
                }
                jakarta.ws.rs.Path sub = m.getAnnotation(jakarta.ws.rs.Path.class);
                String path = (app + "/" + classPath.value() + "/" + (sub == null ? "" : sub.value()))
                        .replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}").replaceAll("/+", "/").replaceAll("(.)/$", "$1");
                jakarta.annotation.security.RolesAllowed roles = m.getAnnotation(jakarta.annotation.security.RolesAllowed.class);
                boolean open = m.isAnnotationPresent(jakarta.annotation.security.PermitAll.class);
                if (roles == null && !open) {
                    roles = c.getAnnotation(jakarta.annotation.security.RolesAllowed.class);
                    open = roles == null && c.isAnnotationPresent(jakarta.annotation.security.PermitAll.class);
                }
                out.put(http + " " + path, roles != null ? List.of(roles.value()) : open ? null : List.of());
            }
        }
        return out;
    }

    private static void addClinloopClass(String entry, List<String> out) {
        if (entry.startsWith("org/clinloop/") && entry.endsWith(".class") && !entry.contains("-")) {
            out.add(entry.substring(0, entry.length() - 6).replace('/', '.'));
        }
    }
}
