package org.clinloop.service;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** The REST API at {@code /api}; resources are discovered in the module jars. */
@ApplicationPath("/api")
public class ClinLoopApi extends Application {
}
