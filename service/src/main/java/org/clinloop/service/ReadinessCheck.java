package org.clinloop.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready}: up once the schema is migrated and the rules and a model are in place. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    ServiceReadiness readiness;

    @Override
    public HealthCheckResponse call() {
        boolean up = readiness.ensureReady();
        var builder = HealthCheckResponse.named("clinloop").status(up);
        if (up) {
            builder.withData("schema", String.join(",", readiness.schema()))
                    .withData("rules", readiness.rulesVersion());
        } else {
            builder.withData("problem", String.valueOf(readiness.problem()));
        }
        return builder.build();
    }
}
