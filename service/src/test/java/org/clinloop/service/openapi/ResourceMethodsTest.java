package org.clinloop.service.openapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Application;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ResourceMethodsTest {

    @ApplicationPath("/api")
    public static class Api extends Application {
    }

    @ApplicationPath("/hooks/")
    public static class Hooks extends Application {
        @Override
        public Set<Class<?>> getClasses() {
            return Set.of(HookResource.class);
        }
    }

    @Path("things")
    @RolesAllowed("reader")
    public static class ThingResource {
        @GET
        public String list() {
            return "";
        }

        @POST
        @Path("{id: [a-z]+}/approve/")
        @RolesAllowed({"clinician", "steward"})
        public String approve() {
            return "";
        }

        @GET
        @Path("/public")
        @PermitAll
        public String open() {
            return "";
        }

        public String notAnOperation() {
            return "";
        }
    }

    @Path("")
    public static class HookResource {
        @GET
        @PermitAll
        public String discovery() {
            return "";
        }

        @POST
        @Path("{id}")
        public String call() {
            return "";
        }
    }

    @Test
    void eachResourceMethodHasItsApplicationsPathAndItsRoles() {
        Map<String, ResourceMethods.Operation> ops = ResourceMethods.of(List.of(Api.class, Hooks.class,
                ThingResource.class, HookResource.class, String.class)).stream()
                .collect(Collectors.toMap(ResourceMethods.Operation::key, o -> o));
        assertEquals(Set.of("GET /api/things", "POST /api/things/{id}/approve", "GET /api/things/public", "GET /hooks",
                "POST /hooks/{id}"), ops.keySet());
        assertEquals(List.of("reader"), ops.get("GET /api/things").access().roles(), "the class's roles");
        assertEquals(List.of("clinician", "steward"), ops.get("POST /api/things/{id}/approve").access().roles(),
                "the method's own roles win");
        assertTrue(ops.get("GET /api/things/public").access().open());
        assertEquals("/hooks", ops.get("POST /hooks/{id}").application(), "a listed class belongs to its application");
        assertFalse(ops.get("POST /hooks/{id}").access().open(), "nothing said is not public");
    }

    @Test
    void pathsAreWrittenAsOpenApiWritesThem() {
        assertEquals("/api/patients/{patient}/bounds/{version}/activate",
                ResourceMethods.normalize("/api//patients/{patient}/bounds/{version : \\d+}/activate/"));
        assertEquals("/", ResourceMethods.normalize(""));
        assertEquals("/cds-services", ResourceMethods.normalize("/cds-services/"));
    }

    @Test
    void errorResponsesFollowWhatTheOperationTakesAndWhoMayCall() {
        var read = new ResourceMethods.Operation("GET", "/api/tasks", "/api",
                new ResourceMethods.Access(false, false, List.of("clinician")), null);
        assertEquals(List.of("401", "403", "503"), ApiContract.errorStatuses(read, false));
        var write = new ResourceMethods.Operation("POST", "/api/tasks/{id}/modify", "/api",
                new ResourceMethods.Access(false, false, List.of("clinician")), null);
        assertEquals(List.of("400", "401", "403", "404", "422", "503"), ApiContract.errorStatuses(write, true));
        var open = new ResourceMethods.Operation("GET", "/api/audit/public-key", "/api",
                new ResourceMethods.Access(false, true, List.of()), null);
        assertEquals(List.of("503"), ApiContract.errorStatuses(open, false));
    }

    @Test
    void anOperationScannedUnderTheWrongApplicationIsFoundUnderItsOwn() {
        Map<String, ResourceMethods.Operation> byKey = ResourceMethods.of(List.of(Api.class, Hooks.class,
                ThingResource.class, HookResource.class)).stream()
                .collect(Collectors.toMap(ResourceMethods.Operation::key, o -> o));
        Set<String> apps = Set.of("/api", "/hooks");
        assertEquals("/api/things/{id}/approve",
                ApiContract.find(byKey, apps, "POST", "/hooks/things/{id}/approve").path());
        assertEquals("/api/things", ApiContract.find(byKey, apps, "GET", "/api/things").path());
        assertEquals(null, ApiContract.find(byKey, apps, "DELETE", "/hooks/things"), "no such method");
    }
}
