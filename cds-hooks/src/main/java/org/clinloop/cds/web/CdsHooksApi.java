package org.clinloop.cds.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * The CDS Hooks services at {@code /cds-services}, outside {@code /api}: EHRs authenticate with
 * their own signed JWTs, not Keycloak tokens, so this application lists its classes and nothing
 * of {@code /api} is reachable through it.
 */
@ApplicationPath("/cds-services")
public class CdsHooksApi extends Application {

    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(CdsServicesResource.class, CdsErrors.class);
    }
}
