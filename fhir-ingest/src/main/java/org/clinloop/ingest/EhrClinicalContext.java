package org.clinloop.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import org.clinloop.approval.ClinicalContext;
import org.clinloop.approval.ClinicalContextSource;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.ingest.internal.ObservationRow;

/**
 * Contraindication data from received Observations: the latest potassium (90 days), the fall of
 * eGFR from its highest value in the year before the latest one, and the latest pregnancy status
 * (280 days). Unknown stays unknown (null), never assumed normal.
 */
@ApplicationScoped
public class EhrClinicalContext implements ClinicalContextSource {

    static final Duration LAB_WINDOW = Duration.ofDays(90);
    static final Duration EGFR_BASELINE = Duration.ofDays(365);
    static final Duration PREGNANCY_WINDOW = Duration.ofDays(280);
    /** A reported symptom of low blood pressure counts for three days. */
    static final Duration SYMPTOM_WINDOW = Duration.ofHours(72);

    @Inject
    FhirStore store;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public ClinicalContext of(String patientId, Instant asOf) {
        Double potassium = store.latest(patientId, ObservationKind.POTASSIUM.code(), asOf.minus(LAB_WINDOW))
                .map(ObservationRow::valueNumber).orElse(null);
        Double egfrDrop = store.latest(patientId, ObservationKind.EGFR.code(), asOf.minus(LAB_WINDOW))
                .flatMap(latest -> store.highest(patientId, ObservationKind.EGFR.code(),
                                latest.effectiveAt().minus(EGFR_BASELINE), latest.effectiveAt())
                        .filter(baseline -> baseline > 0)
                        .map(baseline -> 100 * (baseline - latest.valueNumber()) / baseline))
                .orElse(null);
        Boolean pregnant = store.latest(patientId, ObservationKind.PREGNANCY_STATUS.code(), asOf.minus(PREGNANCY_WINDOW))
                .map(o -> ObservationKind.PREGNANT.equals(o.valueCode())).orElse(null);
        String symptom = store.latestCoded(patientId, ObservationKind.SYMPTOM.code(),
                        ObservationKind.HYPOTENSION_SYMPTOMS.keySet(), asOf.minus(SYMPTOM_WINDOW))
                .map(o -> ObservationKind.HYPOTENSION_SYMPTOMS.get(o.valueCode()) + " (SNOMED " + o.valueCode() + ") at "
                        + o.effectiveAt())
                .orElse(null);
        return new ClinicalContext(pregnant, potassium, egfrDrop, symptom);
    }
}
