package org.clinloop.ingest.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.junit.jupiter.api.Test;

class BundleEntryCapTest {

    static Bundle bundle(Bundle.BundleType type, int entries) {
        Bundle b = new Bundle().setType(type);
        for (int i = 0; i < entries; i++) {
            b.addEntry().setResource(new Observation()).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        }
        return b;
    }

    @Test
    void aBundleAtTheCapPasses() {
        assertThatCode(() -> TransactionProvider.requireWithinEntryCap(bundle(Bundle.BundleType.TRANSACTION, 10), 10))
                .doesNotThrowAnyException();
        assertThatCode(() -> TransactionProvider.requireWithinEntryCap(bundle(Bundle.BundleType.BATCH, 0), 10))
                .doesNotThrowAnyException();
    }

    @Test
    void oneMoreIs413NamingTheCapAndTheCount() {
        PayloadTooLargeException e = catchThrowableOfType(PayloadTooLargeException.class,
                () -> TransactionProvider.requireWithinEntryCap(bundle(Bundle.BundleType.BATCH, 11), 10));
        assertThat(e.getStatusCode()).isEqualTo(413);
        assertThat(e.getMessage()).isEqualTo("Expected a batch Bundle of at most 10 entries, found 11; split it into"
                + " Bundles of 10 or fewer.");
        OperationOutcome oo = (OperationOutcome) e.getOperationOutcome();
        assertThat(oo.getIssueFirstRep().getCode()).isEqualTo(OperationOutcome.IssueType.TOOCOSTLY);
        assertThat(oo.getIssueFirstRep().getExpression().get(0).getValue()).isEqualTo("Bundle.entry");
        assertThat(oo.getIssueFirstRep().getDiagnostics()).isEqualTo(e.getMessage());
    }
}
