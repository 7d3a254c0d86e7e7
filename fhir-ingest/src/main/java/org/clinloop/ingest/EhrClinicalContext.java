package org.clinloop.ingest;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clinloop.approval.ClinicalContext;
import org.clinloop.approval.ClinicalContextSource;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.ingest.internal.MedicationStatementRow;
import org.clinloop.recommendation.PatientSignals;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Contraindication data from received Observations, each with who asserted it, resolved by
 * {@link Contraindications}: potassium (90 days), the fall of eGFR from its highest value in the
 * year before (measured for values of the last 90 days), pregnancy status (280 days) and reported
 * symptoms of low blood pressure (72 hours). Only values from an EHR system or a clinician can
 * clear a contraindication; a patient's (or one whose sender was never recorded) can only add one.
 * And the model's other signals (see {@link #signals}). Unknown stays unknown (null), never
 * assumed normal.
 */
@ApplicationScoped
public class EhrClinicalContext implements ClinicalContextSource {

    static final Duration LAB_WINDOW = Contraindications.LAB_WINDOW;

    /** Intake reports in this window make adherence known; without any it stays unknown. */
    static final Duration REPORTING_WINDOW = Duration.ofDays(14);
    static final Duration ADHERENCE_WINDOW = Duration.ofDays(7);
    /** MedicationStatement.status codes that say the dose was taken. */
    static final Set<String> TAKEN = Set.of("completed", "active");
    /** The signals averaged over the last 7 days, and the labs whose latest value the model reads. */
    static final List<String> MEANS = List.of(ObservationKind.HEART_RATE.code(), ObservationKind.STEPS.code());
    static final List<String> LABS = List.of(ObservationKind.EGFR.code(), ObservationKind.POTASSIUM.code());
    /** The kinds whose values feed the contraindication and symptom rules. */
    static final List<ObservationKind> EVIDENCE = List.of(ObservationKind.POTASSIUM, ObservationKind.EGFR,
            ObservationKind.PREGNANCY_STATUS, ObservationKind.SYMPTOM);

    @Inject
    FhirStore store;
    @Inject
    @ConfigProperty(name = "clinloop.clinic.zone", defaultValue = "UTC")
    String clinicZone;

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public ClinicalContext of(String patientId, Instant asOf) {
        Map<String, Instant> since = new LinkedHashMap<>();
        for (ObservationKind kind : EVIDENCE) {
            since.put(kind.code(), asOf.minus(Contraindications.lookBack(kind)));
        }
        Map<String, List<FhirStore.SourcedValue>> sourced = store.sourcedValues(patientId, since);
        List<LabEvidence> evidence = new ArrayList<>();
        for (ObservationKind kind : EVIDENCE) {
            for (FhirStore.SourcedValue v : sourced.getOrDefault(kind.code(), List.of())) {
                evidence.add(new LabEvidence(kind, v.measured(), v.value(), v.code(), ObservationSource.byCode(v.source())));
            }
        }
        return new Contraindications(evidence).at(asOf);
    }

    /**
     * The model's other signals at {@code asOf}: age from the birth date; adherence as the share
     * of the last 7 days (in the clinic's zone) with a dose reported taken, known only when the
     * patient reported intake at all in the last 14 days (silence is not non-adherence); mean heart
     * rate and mean daily steps over the 7 days; the latest eGFR and potassium in 90 days.
     */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public PatientSignals signals(String patientId, Instant asOf) {
        ZoneId zone = ZoneId.of(clinicZone);
        Double age = store.birthDateOf(patientId)
                .map(b -> (double) Period.between(b, LocalDate.ofInstant(asOf, zone)).getYears())
                .filter(a -> a >= 0).orElse(null);
        Double adherence = null;
        List<MedicationStatementRow> reported = store.statementsBetween(patientId, asOf.minus(REPORTING_WINDOW), asOf);
        if (!reported.isEmpty()) {
            Instant weekAgo = asOf.minus(ADHERENCE_WINDOW);
            Set<LocalDate> daysTaken = new HashSet<>();
            for (MedicationStatementRow r : reported) {
                if (r.takenAt().isAfter(weekAgo) && TAKEN.contains(r.status())) {
                    daysTaken.add(LocalDate.ofInstant(r.takenAt(), zone));
                }
            }
            adherence = Math.min(1.0, daysTaken.size() / (double) ADHERENCE_WINDOW.toDays());
        }
        Map<String, Double> means = store.means(patientId, MEANS, asOf.minus(ADHERENCE_WINDOW), asOf);
        Map<String, Double> labs = store.latestValues(patientId, LABS, asOf.minus(LAB_WINDOW));
        return new PatientSignals(zone, age, adherence, means.get(ObservationKind.HEART_RATE.code()),
                means.get(ObservationKind.STEPS.code()), labs.get(ObservationKind.EGFR.code()),
                labs.get(ObservationKind.POTASSIUM.code()));
    }
}
