package org.clinloop.approval.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.clinloop.approval.SafetyRules;

/** Compiles the shipped safety rules once per application. */
@ApplicationScoped
public class RulesProducer {

    @Produces
    @Singleton
    SafetyRules safetyRules() {
        return SafetyRules.standard();
    }
}
