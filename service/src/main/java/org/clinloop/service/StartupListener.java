package org.clinloop.service;

import jakarta.inject.Inject;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/** Migrates and warms up before the first request is served. */
@WebListener
public class StartupListener implements ServletContextListener {

    @Inject
    ServiceReadiness readiness;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        readiness.ensureReady();
    }
}
