package org.clinloop.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.clinloop.fairness.BloodPressureOutcomes;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.recommendation.BloodPressureReading;
import org.clinloop.recommendation.FeatureExtractor;

/** Blood-pressure control in a window, from the stored readings (mean against the home target). */
@ApplicationScoped
public class ReadingOutcomes implements BloodPressureOutcomes {

    @Inject
    FhirStore store;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Boolean> uncontrolled(String patientId, Instant from, Instant to) {
        List<BloodPressureReading> readings = store.bloodPressureBetween(patientId, from, to).stream()
                .filter(r -> r.effective().isBefore(to)).toList();
        if (readings.isEmpty()) {
            return Optional.empty();
        }
        double sys = readings.stream().mapToDouble(BloodPressureReading::systolic).average().orElseThrow();
        double dia = readings.stream().mapToDouble(BloodPressureReading::diastolic).average().orElseThrow();
        return Optional.of(sys >= FeatureExtractor.TARGET_SYSTOLIC || dia >= FeatureExtractor.TARGET_DIASTOLIC);
    }
}
