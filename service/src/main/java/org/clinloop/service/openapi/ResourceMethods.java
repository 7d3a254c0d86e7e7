package org.clinloop.service.openapi;

import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JAX-RS resource methods of the WAR's applications, each with its full path (application path
 * included), HTTP method and who may call it, read from the annotations. An application that lists
 * its classes owns them; an application that lists none owns every other resource class.
 */
public final class ResourceMethods {

    private static final Map<Class<? extends Annotation>, String> HTTP_METHODS = Map.of(GET.class, "GET", POST.class,
            "POST", PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH", HEAD.class, "HEAD", OPTIONS.class,
            "OPTIONS");

    /** Who may call an operation: nobody, anybody (no token), or the callers with one of the roles. */
    public record Access(boolean denied, boolean open, List<String> roles) {
        public Access {
            roles = List.copyOf(roles);
        }
    }

    /** One resource method: "POST", "/api/tasks/{id}/approve", and its access. */
    public record Operation(String httpMethod, String path, String application, Access access, Method method) {
        public String key() {
            return ResourceMethods.key(httpMethod, path);
        }
    }

    private ResourceMethods() {
    }

    public static String key(String httpMethod, String path) {
        return httpMethod.toUpperCase(java.util.Locale.ROOT) + " " + normalize(path);
    }

    /**
     * The path as OpenAPI writes it: one slash between segments, no trailing slash, and a template
     * variable without its regular expression ({@code {id: [0-9]+}} becomes {@code {id}}).
     */
    public static String normalize(String path) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        boolean skipping = false;
        for (char c : path.toCharArray()) {
            if (c == '{') {
                depth++;
                if (depth == 1) {
                    skipping = false;
                }
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    skipping = false;
                    out.append('}');
                    continue;
                }
            } else if (c == ':' && depth == 1) {
                skipping = true;
            }
            if (!skipping && !(depth >= 1 && Character.isWhitespace(c))) {
                out.append(c);
            }
        }
        String p = ("/" + out).replaceAll("/{2,}", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    /** The resource methods of the given classes (applications, resources and anything else mixed). */
    public static List<Operation> of(Collection<Class<?>> classes) {
        List<Class<?>> resources = new ArrayList<>();
        Map<Class<?>, String> owned = new LinkedHashMap<>();
        String catchAll = null;
        for (Class<?> c : classes) {
            if (Application.class.isAssignableFrom(c) && c.isAnnotationPresent(ApplicationPath.class)
                    && !Modifier.isAbstract(c.getModifiers())) {
                String appPath = normalize(c.getAnnotation(ApplicationPath.class).value());
                Set<Class<?>> listed = listedClasses(c);
                if (listed.isEmpty()) {
                    catchAll = appPath;
                } else {
                    listed.forEach(l -> owned.put(l, appPath));
                }
            } else if (c.isAnnotationPresent(Path.class) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) {
                resources.add(c);
            }
        }
        List<Operation> out = new ArrayList<>();
        for (Class<?> resource : resources) {
            String appPath = owned.getOrDefault(resource, catchAll);
            if (appPath == null) {
                continue;
            }
            String classPath = resource.getAnnotation(Path.class).value();
            for (Method m : resource.getMethods()) {
                String httpMethod = httpMethod(m);
                if (httpMethod == null) {
                    continue;
                }
                Path sub = m.getAnnotation(Path.class);
                String path = normalize(appPath + "/" + classPath + "/" + (sub == null ? "" : sub.value()));
                out.add(new Operation(httpMethod, path, appPath, access(m), m));
            }
        }
        out.sort(java.util.Comparator.comparing(Operation::key));
        return List.copyOf(out);
    }

    static String httpMethod(Method m) {
        for (Annotation a : m.getAnnotations()) {
            String name = HTTP_METHODS.get(a.annotationType());
            if (name != null) {
                return name;
            }
        }
        return null;
    }

    /** The method's own annotation wins over its class's, as in Jakarta Security. */
    static Access access(Method m) {
        Access own = declared(m.getAnnotation(DenyAll.class), m.getAnnotation(PermitAll.class),
                m.getAnnotation(RolesAllowed.class));
        if (own != null) {
            return own;
        }
        Class<?> c = m.getDeclaringClass();
        Access inherited = declared(c.getAnnotation(DenyAll.class), c.getAnnotation(PermitAll.class),
                c.getAnnotation(RolesAllowed.class));
        // Nothing said: the web.xml constraint still asks for a token with any role.
        return inherited != null ? inherited : new Access(false, false, List.of());
    }

    private static Access declared(DenyAll deny, PermitAll permit, RolesAllowed roles) {
        if (deny != null) {
            return new Access(true, false, List.of());
        }
        if (roles != null) {
            return new Access(false, false, List.of(roles.value()));
        }
        if (permit != null) {
            return new Access(false, true, List.of());
        }
        return null;
    }

    private static Set<Class<?>> listedClasses(Class<?> application) {
        try {
            Application app = (Application) application.getDeclaredConstructor().newInstance();
            Set<Class<?>> listed = new HashSet<>(app.getClasses());
            app.getSingletons().forEach(s -> listed.add(s.getClass()));
            return listed;
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot list the classes of " + application.getName(), e);
        }
    }
}
