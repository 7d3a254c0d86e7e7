package org.clinloop.ingest.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.clinloop.recommendation.BloodPressureReading;

/** Persistence of received FHIR resources. Joins the caller's transaction. */
@ApplicationScoped
public class FhirStore {

    /**
     * Rows read only to compute with are loaded read-only: Hibernate then keeps no snapshot of
     * them and never dirty-checks them at the flushes a transaction of many readings makes.
     */
    static final String READ_ONLY = "org.hibernate.readOnly";

    @PersistenceContext(unitName = "clinloop")
    EntityManager em;

    /** The Patient's date of birth, without loading the Patient; empty if none or unknown. */
    public Optional<java.time.LocalDate> birthDateOf(String id) {
        return em.createQuery("select p.birthDate from PatientRow p where p.id = :id", java.time.LocalDate.class)
                .setParameter("id", id).setMaxResults(1).getResultList().stream().filter(java.util.Objects::nonNull)
                .findFirst();
    }

    /** Whether a Patient with this id is stored, without loading it. */
    public boolean patientExists(String id) {
        return !em.createQuery("select p.id from PatientRow p where p.id = :id", String.class).setParameter("id", id)
                .setMaxResults(1).getResultList().isEmpty();
    }

    /** The Patient's general practitioner (a Practitioner id), without loading the Patient; empty if none or unknown. */
    public Optional<String> generalPractitionerOf(String id) {
        return em.createQuery("select p.generalPractitioner from PatientRow p where p.id = :id", String.class)
                .setParameter("id", id).setMaxResults(1).getResultList().stream().filter(java.util.Objects::nonNull)
                .findFirst();
    }

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

    /**
     * Patients matching every given criterion (null: not constrained): identifier, a name that
     * starts with {@code name} (family or given, case-insensitive, as FHIR's string search),
     * birth date within [{@code bornFrom}, {@code bornTo}], the care of {@code practitionerId},
     * and exactly the patient {@code patientId}.
     */
    public List<PatientRow> searchPatients(String identifierSystem, String identifierValue, String name,
                                           LocalDate bornFrom, LocalDate bornTo, String practitionerId,
                                           String patientId, int limit) {
        StringBuilder jpql = new StringBuilder("select p from PatientRow p where 1 = 1");
        Map<String, Object> params = new HashMap<>();
        if (identifierValue != null) {
            jpql.append(" and p.identifierValue = :v");
            params.put("v", identifierValue);
            if (identifierSystem != null) {
                jpql.append(" and p.identifierSystem = :s");
                params.put("s", identifierSystem);
            }
        }
        if (name != null) {
            jpql.append(" and (lower(p.familyName) like :n escape '!' or lower(p.givenName) like :n escape '!'"
                    + " or lower(p.givenName) like :nw escape '!')");
            String escaped = name.toLowerCase(Locale.ROOT).replace("!", "!!").replace("%", "!%").replace("_", "!_");
            params.put("n", escaped + "%");
            params.put("nw", "% " + escaped + "%");
        }
        if (bornFrom != null) {
            jpql.append(" and p.birthDate >= :bf");
            params.put("bf", bornFrom);
        }
        if (bornTo != null) {
            jpql.append(" and p.birthDate <= :bt");
            params.put("bt", bornTo);
        }
        if (practitionerId != null) {
            jpql.append(" and p.generalPractitioner = :g");
            params.put("g", practitionerId);
        }
        if (patientId != null) {
            jpql.append(" and p.id = :self");
            params.put("self", patientId);
        }
        var q = em.createQuery(jpql.append(" order by p.id").toString(), PatientRow.class);
        params.forEach(q::setParameter);
        return q.setMaxResults(limit).getResultList();
    }

    /**
     * Writes what the transaction has changed so far and detaches it: between independent
     * readings of one transaction nothing managed is carried over.
     */
    public void settle() {
        em.flush();
        em.clear();
    }

    /**
     * Stores an observation; a second one of the same patient with the same identifier is refused
     * at once (the index decides).
     */
    public void saveObservation(ObservationRow row) {
        em.persist(row);
        try {
            em.flush();
        } catch (jakarta.persistence.PersistenceException e) {
            throw new DuplicateIdentifierException(e);
        }
    }

    /** Thrown when an observation of the same patient with the same identifier was stored concurrently. */
    public static final class DuplicateIdentifierException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        DuplicateIdentifierException(Throwable cause) {
            super("An observation with this identifier is already stored", cause);
        }
    }

    /**
     * The patient's observation with this identifier; an identifier without a system is stored
     * with system "". Identifiers are unique per patient (ingest V5), never looked up across
     * patients: another patient's identifier says nothing about this one's readings.
     */
    public Optional<ObservationRow> observationByIdentifier(String patientId, String system, String value) {
        return em.createQuery("select o from ObservationRow o where o.patientId = :p and o.identifierValue = :v"
                                + " and o.identifierSystem = :s", ObservationRow.class)
                .setParameter("p", patientId).setParameter("v", value).setParameter("s", system == null ? "" : system)
                .setMaxResults(1).getResultList().stream().findFirst();
    }

    /**
     * Observations of a patient, newest measurement first, filtered by code, measurement time and
     * arrival time (each bound may be null); {@code offset} and {@code limit} select a page.
     */
    public List<ObservationRow> searchObservations(String patientId, List<String> codes, Instant from, Instant to,
                                                   Instant updatedFrom, Instant updatedTo, int offset, int limit) {
        var q = em.createQuery("select o from ObservationRow o where " + criteria(codes, from, to, updatedFrom, updatedTo)
                + " order by o.effectiveAt desc, o.id", ObservationRow.class);
        bind(q, patientId, codes, from, to, updatedFrom, updatedTo);
        return q.setFirstResult(offset).setMaxResults(limit).getResultList();
    }

    /** How many observations {@link #searchObservations} would find without a page. */
    public int countObservations(String patientId, List<String> codes, Instant from, Instant to, Instant updatedFrom,
                                 Instant updatedTo) {
        var q = em.createQuery("select count(o) from ObservationRow o where "
                + criteria(codes, from, to, updatedFrom, updatedTo), Long.class);
        bind(q, patientId, codes, from, to, updatedFrom, updatedTo);
        return Math.toIntExact(q.getSingleResult());
    }

    private static String criteria(List<String> codes, Instant from, Instant to, Instant updatedFrom, Instant updatedTo) {
        StringBuilder jpql = new StringBuilder("o.patientId = :p");
        if (codes != null && !codes.isEmpty()) {
            jpql.append(" and o.code in :codes");
        }
        if (from != null) {
            jpql.append(" and o.effectiveAt >= :from");
        }
        if (to != null) {
            jpql.append(" and o.effectiveAt <= :to");
        }
        if (updatedFrom != null) {
            jpql.append(" and o.receivedAt >= :uf");
        }
        if (updatedTo != null) {
            jpql.append(" and o.receivedAt <= :ut");
        }
        return jpql.toString();
    }

    private static void bind(jakarta.persistence.TypedQuery<?> q, String patientId, List<String> codes, Instant from,
                             Instant to, Instant updatedFrom, Instant updatedTo) {
        q.setParameter("p", patientId);
        if (codes != null && !codes.isEmpty()) {
            q.setParameter("codes", codes);
        }
        if (from != null) {
            q.setParameter("from", from);
        }
        if (to != null) {
            q.setParameter("to", to);
        }
        if (updatedFrom != null) {
            q.setParameter("uf", updatedFrom);
        }
        if (updatedTo != null) {
            q.setParameter("ut", updatedTo);
        }
    }

    /**
     * The value of the newest observation of each of {@code codes} for a patient measured since
     * {@code since} (null when that one has no number); codes with none are absent. One query for
     * all the codes.
     */
    public Map<String, Double> latestValues(String patientId, List<String> codes, Instant since) {
        Map<String, Double> latest = new HashMap<>();
        for (Object[] r : withCodes(em.createQuery("select o.code, o.valueNumber from ObservationRow o where o.patientId = :p"
                + " and o.code in " + codeParameters(codes.size()) + " and o.effectiveAt >= :since"
                + " order by o.effectiveAt desc", Object[].class), codes)
                .setParameter("p", patientId).setParameter("since", since).getResultList()) {
            if (!latest.containsKey((String) r[0])) { // the newest row decides, even without a number
                latest.put((String) r[0], r[1] == null ? null : ((Number) r[1]).doubleValue());
            }
        }
        return latest;
    }

    /**
     * A stored value with who asserted it.
     *
     * @param measured its effective time
     * @param value    the value in its kind's unit, or null
     * @param code     its coded value, or null
     * @param source   an {@code ObservationSource} code
     */
    public record SourcedValue(Instant measured, Double value, String code, String source) {
    }

    /**
     * Every observation of each code in {@code sinceByCode} for a patient, measured since that
     * code's own time, with its source: four columns, not the stored resources, by code, oldest
     * first. One query for all the codes (a code without any is absent).
     */
    public Map<String, List<SourcedValue>> sourcedValues(String patientId, Map<String, Instant> sinceByCode) {
        List<String> codes = List.copyOf(sinceByCode.keySet());
        Instant earliest = sinceByCode.values().stream().min(Instant::compareTo)
                .orElseThrow(() -> new IllegalArgumentException("Expected at least one code, found none."));
        Map<String, List<SourcedValue>> byCode = new HashMap<>();
        for (Object[] r : withCodes(em.createQuery("select o.code, o.effectiveAt, o.valueNumber, o.valueCode, o.source"
                + " from ObservationRow o where o.patientId = :p and o.code in " + codeParameters(codes.size())
                + " and o.effectiveAt >= :since order by o.effectiveAt", Object[].class), codes)
                .setParameter("p", patientId).setParameter("since", earliest).getResultList()) {
            String code = (String) r[0];
            Instant measured = (Instant) r[1];
            if (!measured.isBefore(sinceByCode.get(code))) {
                byCode.computeIfAbsent(code, c -> new ArrayList<>()).add(new SourcedValue(measured,
                        r[2] == null ? null : ((Number) r[2]).doubleValue(), (String) r[3], (String) r[4]));
            }
        }
        return byCode;
    }

    /**
     * The mean value of each of {@code codes} for a patient measured in (from, to]; codes with no
     * value are absent. One query for all the codes.
     */
    public Map<String, Double> means(String patientId, List<String> codes, Instant from, Instant to) {
        Map<String, Double> means = new HashMap<>();
        for (Object[] r : withCodes(em.createQuery("select o.code, avg(o.valueNumber) from ObservationRow o"
                + " where o.patientId = :p and o.code in " + codeParameters(codes.size())
                + " and o.effectiveAt > :from and o.effectiveAt <= :to group by o.code", Object[].class), codes)
                .setParameter("p", patientId).setParameter("from", from).setParameter("to", to).getResultList()) {
            if (r[1] != null) {
                means.put((String) r[0], ((Number) r[1]).doubleValue());
            }
        }
        return means;
    }

    /**
     * {@code (:c0, :c1, …)}: one named parameter per code rather than a collection parameter, so
     * that the query text is the same on every call and Hibernate renders its SQL once.
     */
    private static String codeParameters(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Expected at least one code, found none.");
        }
        StringBuilder in = new StringBuilder("(");
        for (int i = 0; i < n; i++) {
            in.append(i == 0 ? ":c" : ", :c").append(i);
        }
        return in.append(')').toString();
    }

    private static <T> TypedQuery<T> withCodes(TypedQuery<T> query, List<String> codes) {
        for (int i = 0; i < codes.size(); i++) {
            query.setParameter("c" + i, codes.get(i));
        }
        return query;
    }

    // --- devices and medication statements ------------------------------------------------

    /** When the patient reported intake (any status) in (from, to], with the status, oldest first. */
    public List<MedicationStatementRow> statementsBetween(String patientId, Instant from, Instant to) {
        return em.createQuery("select m from MedicationStatementRow m where m.patientId = :p and m.takenAt > :from"
                        + " and m.takenAt <= :to order by m.takenAt", MedicationStatementRow.class)
                .setParameter("p", patientId).setParameter("from", from).setParameter("to", to)
                .setHint(READ_ONLY, true).getResultList();
    }

    public void saveDevice(DeviceRow row) {
        em.persist(row);
    }

    public Optional<DeviceRow> device(String id) {
        return Optional.ofNullable(em.find(DeviceRow.class, id));
    }

    public List<DeviceRow> devicesOf(String patientId) {
        return em.createQuery("select d from DeviceRow d where d.patientId = :p order by d.lastUpdated desc", DeviceRow.class)
                .setParameter("p", patientId).getResultList();
    }

    public void saveStatement(MedicationStatementRow row) {
        em.persist(row);
    }

    public Optional<MedicationStatementRow> statement(String id) {
        return Optional.ofNullable(em.find(MedicationStatementRow.class, id));
    }

    public List<MedicationStatementRow> statementsOf(String patientId, int limit) {
        return em.createQuery("select m from MedicationStatementRow m where m.patientId = :p order by m.takenAt desc",
                        MedicationStatementRow.class).setParameter("p", patientId).setMaxResults(limit).getResultList();
    }

    public void saveOrder(MedicationRequestRow row) {
        em.persist(row);
    }

    public Optional<MedicationRequestRow> order(String id) {
        return Optional.ofNullable(em.find(MedicationRequestRow.class, id));
    }

    /** A patient's prescriptions, newest first. */
    public List<MedicationRequestRow> ordersOf(String patientId, int limit) {
        return em.createQuery("select m from MedicationRequestRow m where m.patientId = :p"
                        + " order by m.authoredOn desc, m.id", MedicationRequestRow.class)
                .setParameter("p", patientId).setHint(READ_ONLY, true).setMaxResults(limit).getResultList();
    }

    /** A patient's newest active prescription of one of these RxNorm codes. */
    public Optional<MedicationRequestRow> newestActiveOrder(String patientId, java.util.Collection<String> rxNorm) {
        return em.createQuery("select m from MedicationRequestRow m where m.patientId = :p and m.status = 'active'"
                        + " and m.rxNorm in :codes order by m.authoredOn desc, m.id", MedicationRequestRow.class)
                .setParameter("p", patientId).setParameter("codes", rxNorm).setHint(READ_ONLY, true).setMaxResults(1)
                .getResultList().stream().findFirst();
    }

    public Optional<ObservationRow> observation(String id) {
        return Optional.ofNullable(em.find(ObservationRow.class, id));
    }

    public List<ObservationRow> observationsOf(String patientId, int limit) {
        return em.createQuery("select o from ObservationRow o where o.patientId = :p order by o.effectiveAt desc",
                        ObservationRow.class)
                .setParameter("p", patientId).setMaxResults(limit).setHint(READ_ONLY, true).getResultList();
    }

    /** Blood-pressure readings of one patient taken in [from, to], oldest first. */
    public List<BloodPressureReading> bloodPressureBetween(String patientId, Instant from, Instant to) {
        // Only the four values a reading needs: not the stored resource JSON of 30 days of history.
        return em.createQuery("select o.id, o.effectiveAt, o.systolic, o.diastolic from ObservationRow o"
                                + " where o.patientId = :p and o.code = :c"
                                + " and o.effectiveAt >= :from and o.effectiveAt <= :to order by o.effectiveAt",
                        Object[].class)
                .setParameter("p", patientId).setParameter("c", "85354-9")
                .setParameter("from", from).setParameter("to", to)
                .getResultList().stream()
                .map(r -> new BloodPressureReading((String) r[0], (Instant) r[1], ((Number) r[2]).doubleValue(),
                        ((Number) r[3]).doubleValue()))
                .toList();
    }
}
