package org.clinloop.service.openapi;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.Paths;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Completes the generated contract from the resource methods themselves (mp.openapi.filter): each
 * operation gets {@code x-roles} (the roles of its {@code @RolesAllowed}; empty and no security
 * for {@code @PermitAll}), the token scheme it needs, and its error responses as FHIR
 * OperationOutcome. Nothing is kept by hand per operation: a new resource method is described
 * as soon as it exists.
 */
public class ApiContract implements OASFilter {

    private static final Logger LOG = Logger.getLogger(ApiContract.class.getName());
    static final String OUTCOME_REF = "#/components/schemas/OperationOutcome";
    static final String API_SCHEME = "keycloakJwt";
    static final String CDS_SCHEME = "ehrJwt";
    static final String CDS_APPLICATION = "/cds-services";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        List<ResourceMethods.Operation> resources = ResourceMethods.of(clinloopClasses());
        LOG.info("OpenAPI: " + resources.size() + " resource methods described");
        Map<String, ResourceMethods.Operation> byKey = new LinkedHashMap<>();
        resources.forEach(op -> byKey.put(op.key(), op));
        Set<String> applications = new TreeSet<>();
        resources.forEach(op -> applications.add(op.application()));
        Map<String, PathItem> placed = new TreeMap<>();
        Map<Operation, ResourceMethods.Operation> found = new java.util.IdentityHashMap<>();
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, operation) -> {
            ResourceMethods.Operation resource = find(byKey, applications, method.name(), path);
            if (resource == null) {
                LOG.warning("OpenAPI: no resource method for " + method + " " + path);
                put(placed, path, method, operation);
                return;
            }
            found.put(put(placed, resource.path(), method, operation), resource);
        }));
        found.forEach((operation, resource) -> describe(operation, resource, resource.path()));
        Paths paths = OASFactory.createPaths();
        placed.forEach(paths::addPathItem);
        openAPI.setPaths(paths);
    }

    /**
     * The resource method behind an operation of the generated document. With more than one JAX-RS
     * application in the WAR the scanner may put every resource under one application's path; the
     * operation is then found by its path within its application, under whichever owns it.
     */
    static ResourceMethods.Operation find(Map<String, ResourceMethods.Operation> byKey, Set<String> applications,
                                          String method, String path) {
        ResourceMethods.Operation direct = byKey.get(ResourceMethods.key(method, path));
        if (direct != null) {
            return direct;
        }
        String normalized = ResourceMethods.normalize(path);
        Set<ResourceMethods.Operation> candidates = new LinkedHashSet<>();
        for (String scanned : applications) {
            String prefix = scanned.equals("/") ? "" : scanned;
            if (normalized.equals(prefix) || normalized.startsWith(prefix + "/")) {
                String within = normalized.substring(prefix.length());
                for (String owner : applications) {
                    ResourceMethods.Operation op = byKey.get(ResourceMethods.key(method, owner + "/" + within));
                    if (op != null) {
                        candidates.add(op);
                    }
                }
            }
        }
        return candidates.size() == 1 ? candidates.iterator().next() : null;
    }

    /**
     * Places an operation at its path; when the hand-written part of the contract has the same
     * operation, the generated one is kept and takes the hand-written request body.
     */
    private static Operation put(Map<String, PathItem> placed, String path, PathItem.HttpMethod method,
                                 Operation operation) {
        PathItem item = placed.computeIfAbsent(path, p -> OASFactory.createPathItem());
        Operation existing = item.getOperations() == null ? null : item.getOperations().get(method);
        Operation kept = operation;
        if (existing != null) {
            // The generated one has the responses; the written one's request body (with its example) wins.
            boolean existingGenerated = responseCount(existing) >= responseCount(operation);
            Operation generated = existingGenerated ? existing : operation;
            Operation written = existingGenerated ? operation : existing;
            if (written.getRequestBody() != null) {
                generated.setRequestBody(written.getRequestBody());
            }
            kept = generated;
        }
        switch (method) {
            case GET -> item.setGET(kept);
            case POST -> item.setPOST(kept);
            case PUT -> item.setPUT(kept);
            case DELETE -> item.setDELETE(kept);
            case PATCH -> item.setPATCH(kept);
            case HEAD -> item.setHEAD(kept);
            case OPTIONS -> item.setOPTIONS(kept);
            case TRACE -> item.setTRACE(kept);
        }
        return kept;
    }

    static void describe(Operation operation, ResourceMethods.Operation resource, String path) {
        ResourceMethods.Access access = resource.access();
        boolean cds = CDS_APPLICATION.equals(resource.application());
        operation.addExtension("x-roles", access.roles());
        if (access.denied()) {
            operation.addExtension("x-denied", true);
        }
        if (cds) {
            operation.setSecurity(path.equals(CDS_APPLICATION) ? List.of()
                    : List.of(OASFactory.createSecurityRequirement().addScheme(CDS_SCHEME)));
        } else if (access.open()) {
            operation.setSecurity(List.of());
        } else {
            operation.setSecurity(List.of(OASFactory.createSecurityRequirement().addScheme(API_SCHEME)));
        }
        if (cds) {
            return; // CDS Hooks answers errors in its own form, described by the specification.
        }
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        for (String status : errorStatuses(resource, operation.getRequestBody() != null)) {
            if (responses.getAPIResponse(status) == null) {
                responses.addAPIResponse(status, outcome(description(status)));
            }
        }
    }

    private static int responseCount(Operation operation) {
        return operation.getResponses() == null || operation.getResponses().getAPIResponses() == null ? 0
                : operation.getResponses().getAPIResponses().size();
    }

    /** The error statuses an operation can answer: by what it takes and who may call it. */
    static List<String> errorStatuses(ResourceMethods.Operation resource, boolean hasBody) {
        List<String> out = new ArrayList<>();
        boolean writes = hasBody || !resource.httpMethod().equals("GET");
        if (writes || resource.path().contains("{")) {
            out.add("400");
        }
        if (!resource.access().open()) {
            out.add("401");
            out.add("403");
        }
        if (resource.path().contains("{")) {
            out.add("404");
        }
        if (writes) {
            out.add("422");
        }
        out.add("503");
        return out;
    }

    private static String description(String status) {
        return switch (status) {
            case "400" -> "The request is malformed (a parameter or the body): what was expected, what was found";
            case "401" -> "No token, or one that is not valid";
            case "403" -> "The caller's roles, or their relation to the patient, do not allow this";
            case "404" -> "Not found, or not the caller's to see (answered alike)";
            case "422" -> "The request is well-formed but refused: a missing field, a value out of range, a rule";
            case "503" -> "Not ready (the database), or too much in progress: try again after Retry-After";
            default -> "Error";
        };
    }

    private static APIResponse outcome(String description) {
        Schema ref = OASFactory.createSchema().ref(OUTCOME_REF);
        Content content = OASFactory.createContent();
        for (String type : List.of("application/fhir+json", "application/json")) {
            MediaType media = OASFactory.createMediaType().schema(ref);
            content.addMediaType(type, media);
        }
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    /** The org.clinloop classes this WAR can load, found through its class loader. */
    static List<Class<?>> clinloopClasses() {
        ClassLoader loader = ApiContract.class.getClassLoader();
        Set<String> names = new LinkedHashSet<>();
        try {
            Enumeration<URL> roots = loader.getResources("org/clinloop/");
            while (roots.hasMoreElements()) {
                names.addAll(classNames(roots.nextElement()));
            }
        } catch (IOException e) {
            LOG.warning("OpenAPI: cannot list the service's classes: " + e);
        }
        LOG.fine("OpenAPI: " + names.size() + " classes listed");
        List<Class<?>> out = new ArrayList<>();
        for (String name : names) {
            try {
                out.add(Class.forName(name, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                // a class whose optional dependencies are absent cannot be a resource of this WAR
            }
        }
        return out;
    }

    private static Set<String> classNames(URL root) {
        String url = root.toString();
        LOG.fine("OpenAPI: listing classes under " + url);
        Set<String> out = new LinkedHashSet<>();
        try {
            if (root.getProtocol().equals("file")) {
                File dir = new File(URLDecoder.decode(root.getPath(), StandardCharsets.UTF_8));
                File base = dir.getParentFile().getParentFile(); // above org/clinloop
                try (Stream<java.nio.file.Path> files = Files.walk(dir.toPath())) {
                    files.filter(f -> f.toString().endsWith(".class")).forEach(f -> out.add(className(
                            base.toPath().relativize(f).toString().replace(File.separatorChar, '/'))));
                }
                return out;
            }
        } catch (IOException | RuntimeException e) {
            LOG.warning("OpenAPI: cannot list " + url + ": " + e);
        }
        int bang = url.lastIndexOf("!/");
        // within the archive: "org/clinloop/" in a module jar, "WEB-INF/classes/org/clinloop/" in the WAR
        String within = bang > 0 ? url.substring(bang + 2) : "org/clinloop/";
        String base = within.endsWith("org/clinloop/") ? within.substring(0, within.length() - "org/clinloop/".length()) : "";
        if (bang > 0) { // the archive itself, read as a stream (it may lie inside the WAR)
            try (InputStream in = new URL(url.substring(0, bang)).openStream();
                 JarInputStream entries = new JarInputStream(in)) {
                for (JarEntry e = entries.getNextJarEntry(); e != null; e = entries.getNextJarEntry()) {
                    if (e.getName().startsWith(base) && isClinloopClass(e.getName().substring(base.length()))) {
                        out.add(className(e.getName().substring(base.length())));
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.info("OpenAPI: cannot read " + url.substring(0, bang) + " as a stream: " + e);
            }
        }
        if (out.isEmpty()) {
            try {
                URLConnection connection = root.openConnection();
                connection.setUseCaches(false);
                if (connection instanceof JarURLConnection jar) {
                    try (JarFile file = jar.getJarFile()) {
                        file.stream().map(JarEntry::getName).filter(n -> n.startsWith(base))
                                .map(n -> n.substring(base.length())).filter(ApiContract::isClinloopClass)
                                .map(ApiContract::className).forEach(out::add);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.warning("OpenAPI: cannot list " + url + ": " + e);
            }
        }
        return out;
    }

    private static boolean isClinloopClass(String entry) {
        return entry.startsWith("org/clinloop/") && entry.endsWith(".class") && !entry.contains("-");
    }

    private static String className(String entry) {
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }
}
