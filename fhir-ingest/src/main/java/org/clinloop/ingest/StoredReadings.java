package org.clinloop.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import org.clinloop.approval.ReadingHistory;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.recommendation.BloodPressureReading;

/** The approval workflow's view of a patient's stored blood-pressure readings. */
@ApplicationScoped
public class StoredReadings implements ReadingHistory {

    @Inject
    FhirStore store;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<BloodPressureReading> between(String patientId, Instant from, Instant to) {
        return store.bloodPressureBetween(patientId, from, to);
    }
}
