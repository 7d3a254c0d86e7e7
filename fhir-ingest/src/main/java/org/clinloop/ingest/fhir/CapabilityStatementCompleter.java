package org.clinloop.ingest.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;

/**
 * Adds to the generated CapabilityStatement what HAPI cannot see from the provider annotations:
 * the one {@code @Transaction} method serves {@code batch} Bundles too (per-entry outcomes).
 */
@Interceptor
public class CapabilityStatementCompleter {

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void complete(IBaseConformance generated) {
        if (generated instanceof CapabilityStatement cs) {
            for (CapabilityStatement.CapabilityStatementRestComponent rest : cs.getRest()) {
                boolean hasBatch = rest.getInteraction().stream()
                        .anyMatch(i -> i.getCode() == CapabilityStatement.SystemRestfulInteraction.BATCH);
                boolean hasTransaction = rest.getInteraction().stream()
                        .anyMatch(i -> i.getCode() == CapabilityStatement.SystemRestfulInteraction.TRANSACTION);
                if (hasTransaction && !hasBatch) {
                    rest.addInteraction().setCode(CapabilityStatement.SystemRestfulInteraction.BATCH)
                            .setDocumentation("Each entry stands alone; the response carries one outcome per entry.");
                }
            }
        }
    }
}
