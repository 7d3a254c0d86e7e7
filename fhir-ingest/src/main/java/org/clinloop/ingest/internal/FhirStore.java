package org.clinloop.ingest.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.clinloop.recommendation.BloodPressureReading;

/** Persistence of received FHIR resources. Joins the caller's transaction. */
@ApplicationScoped
public class FhirStore {

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    public Optional<PatientRow> patient(String id) {
        return Optional.ofNullable(em.find(PatientRow.class, id));
    }

    /** The patient row locked for update, or empty when there is none yet. */
    public Optional<PatientRow> lockPatient(String id) {
        return Optional.ofNullable(em.find(PatientRow.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** Inserts a fully populated new row (Hibernate inserts the state as it is at persist time). */
    public void insertPatient(PatientRow row) {
        em.persist(row);
    }

    public List<PatientRow> patientsByIdentifier(String system, String value, int limit) {
        String jpql = "select p from PatientRow p where p.identifierValue = :v"
                + (system == null ? "" : " and p.identifierSystem = :s") + " order by p.id";
        var q = em.createQuery(jpql, PatientRow.class).setParameter("v", value);
        if (system != null) {
            q.setParameter("s", system);
        }
        return q.setMaxResults(limit).getResultList();
    }

    public List<PatientRow> patientsOf(String practitionerId, int limit) {
        return em.createQuery("select p from PatientRow p where p.generalPractitioner = :g order by p.id", PatientRow.class)
                .setParameter("g", practitionerId).setMaxResults(limit).getResultList();
    }

    public void saveObservation(ObservationRow row) {
        em.persist(row);
    }

    public Optional<ObservationRow> observation(String id) {
        return Optional.ofNullable(em.find(ObservationRow.class, id));
    }

    public List<ObservationRow> observationsOf(String patientId, int limit) {
        return em.createQuery("select o from ObservationRow o where o.patientId = :p order by o.effectiveAt desc",
                        ObservationRow.class)
                .setParameter("p", patientId).setMaxResults(limit).getResultList();
    }

    /** Blood-pressure readings of one patient taken in [from, to], oldest first. */
    public List<BloodPressureReading> bloodPressureBetween(String patientId, Instant from, Instant to) {
        return em.createQuery("select o from ObservationRow o where o.patientId = :p and o.code = :c"
                                + " and o.effectiveAt >= :from and o.effectiveAt <= :to order by o.effectiveAt",
                        ObservationRow.class)
                .setParameter("p", patientId).setParameter("c", "85354-9")
                .setParameter("from", from).setParameter("to", to)
                .getResultList().stream().map(ObservationRow::toReading).toList();
    }
}
