package org.clinloop.ingest;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;
import org.clinloop.approval.ClinicalContext;

/**
 * What a patient's labs, pregnancy status and reported symptoms say for the safety rules, with
 * who said it. Pure and immutable: the same evidence and time give the same context, so the
 * property tests can try any sequence of values without a database.
 *
 * <p>The principle: <b>only a trusted source (an EHR system or a clinician) can establish or clear
 * a contraindication; an untrusted one (the patient, a ClinLoop component, a row whose source was
 * never recorded) may only add one.</b> So, for each input:
 * <ul>
 *   <li><b>potassium</b> (measured in the last 90 days): the newest trusted value, raised to any
 *       untrusted value measured at or after it (or, without a trusted one, the highest untrusted
 *       value). An untrusted value is never lower than what the rules would otherwise see.</li>
 *   <li><b>eGFR fall</b>: measured for the newest trusted value of the last 90 days and for every
 *       untrusted value at or after it, each against the highest value of any source in the year
 *       before it (a higher baseline only makes the fall larger); the largest fall counts.</li>
 *   <li><b>pregnancy</b> (280 days): the newest trusted status; an untrusted "pregnant" at or
 *       after it makes it pregnant, an untrusted "not pregnant" counts for nothing (without a
 *       trusted status it stays unknown).</li>
 *   <li><b>symptom of low blood pressure</b> (72 hours): the newest such report from anyone.
 *       Only symptoms of low pressure are looked at, so a later report of anything else (a
 *       cough, or nothing) does not hide one within its window.</li>
 * </ul>
 * Where two values were measured at the same instant, the worse one wins. Evidence measured after
 * {@code asOf} is not ignored (a clock a little ahead must not hide a contraindication).
 *
 * @param evidence every relevant observation of the patient, any order
 */
public record Contraindications(List<LabEvidence> evidence) {

    static final Duration LAB_WINDOW = Duration.ofDays(90);
    static final Duration EGFR_BASELINE = Duration.ofDays(365);
    static final Duration PREGNANCY_WINDOW = Duration.ofDays(280);
    /** A reported symptom of low blood pressure counts for three days. */
    static final Duration SYMPTOM_WINDOW = Duration.ofHours(72);

    /** How far back evidence of each kind is needed at all (eGFR: its window plus a year of baseline). */
    public static Duration lookBack(ObservationKind kind) {
        return switch (kind) {
            case POTASSIUM -> LAB_WINDOW;
            case EGFR -> LAB_WINDOW.plus(EGFR_BASELINE);
            case PREGNANCY_STATUS -> PREGNANCY_WINDOW;
            case SYMPTOM -> SYMPTOM_WINDOW;
            default -> throw new IllegalArgumentException("Expected potassium, eGFR, pregnancy status or symptom, found "
                    + kind + ".");
        };
    }

    public Contraindications {
        evidence = List.copyOf(Objects.requireNonNull(evidence, "Evidence is required (may be empty)."));
    }

    /** What the safety rules see at {@code asOf}. */
    public ClinicalContext at(Instant asOf) {
        Optional<Finding<Double>> potassium = potassium(asOf);
        Optional<Finding<Double>> egfrDrop = egfrDrop(asOf);
        Optional<Finding<Boolean>> pregnant = pregnancy(asOf);
        Optional<LabEvidence> symptom = hypotensionSymptom(asOf);
        return new ClinicalContext(
                pregnant.map(Finding::value).orElse(null),
                potassium.map(Finding::value).orElse(null),
                egfrDrop.map(Finding::value).orElse(null),
                symptom.map(s -> ObservationKind.HYPOTENSION_SYMPTOMS.get(s.code()) + " (SNOMED " + s.code() + ") at "
                        + s.measured()).orElse(null),
                new ClinicalContext.Provenance(
                        pregnant.map(f -> f.from().provenance()).orElse(null),
                        potassium.map(f -> f.from().provenance()).orElse(null),
                        egfrDrop.map(f -> f.from().provenance()).orElse(null),
                        symptom.map(LabEvidence::provenance).orElse(null)));
    }

    /**
     * A value the rules see and the observation it rests on.
     *
     * @param value what the rules see
     * @param from  the observation it was taken from (for eGFR, the value whose fall it is)
     */
    public record Finding<T>(T value, LabEvidence from) {
    }

    /** Serum potassium at {@code asOf}: the newest trusted value, raised by any untrusted one at or after it. */
    public Optional<Finding<Double>> potassium(Instant asOf) {
        List<LabEvidence> inWindow = of(ObservationKind.POTASSIUM, asOf.minus(LAB_WINDOW));
        Optional<LabEvidence> trusted = newestTrusted(inWindow, Comparator.comparing(LabEvidence::value));
        return untrustedSince(inWindow, trusted).stream().map(e -> new Finding<>(e.value(), e))
                .max(Comparator.comparing(Finding::value))
                .filter(u -> trusted.isEmpty() || u.value() > trusted.get().value())
                .or(() -> trusted.map(t -> new Finding<>(t.value(), t)));
    }

    /** The fall of eGFR from its baseline, percent, at {@code asOf} (the largest a trusted value leaves open). */
    public Optional<Finding<Double>> egfrDrop(Instant asOf) {
        List<LabEvidence> all = of(ObservationKind.EGFR, Instant.MIN);
        List<LabEvidence> inWindow = all.stream().filter(e -> !e.measured().isBefore(asOf.minus(LAB_WINDOW))).toList();
        Optional<LabEvidence> trusted = newestTrusted(inWindow, Comparator.comparing(LabEvidence::value).reversed());
        List<LabEvidence> candidates = new java.util.ArrayList<>(untrustedSince(inWindow, trusted));
        trusted.ifPresent(candidates::add);
        Optional<Finding<Double>> worst = Optional.empty();
        for (LabEvidence latest : candidates) {
            Optional<Double> baseline = all.stream()
                    .filter(e -> !e.measured().isBefore(latest.measured().minus(EGFR_BASELINE))
                            && !e.measured().isAfter(latest.measured()))
                    .map(LabEvidence::value).max(Double::compare).filter(b -> b > 0);
            if (baseline.isEmpty()) {
                continue;
            }
            Finding<Double> fall = new Finding<>(100 * (baseline.get() - latest.value()) / baseline.get(), latest);
            if (worst.isEmpty() || fall.value() > worst.get().value()
                    || fall.value().equals(worst.get().value()) && latest.source().trusted()) {
                worst = Optional.of(fall);
            }
        }
        return worst;
    }

    /** Pregnancy status at {@code asOf}: the newest trusted status; an untrusted one can only say "pregnant". */
    public Optional<Finding<Boolean>> pregnancy(Instant asOf) {
        List<LabEvidence> inWindow = of(ObservationKind.PREGNANCY_STATUS, asOf.minus(PREGNANCY_WINDOW));
        Optional<LabEvidence> trusted = newestTrusted(inWindow, Comparator.comparing(Contraindications::pregnant));
        if (trusted.isPresent() && pregnant(trusted.get())) {
            return Optional.of(new Finding<>(true, trusted.get()));
        }
        Optional<LabEvidence> reported = untrustedSince(inWindow, trusted).stream().filter(Contraindications::pregnant)
                .max(Comparator.comparing(LabEvidence::measured));
        if (reported.isPresent()) {
            return Optional.of(new Finding<>(true, reported.get()));
        }
        return trusted.map(t -> new Finding<>(false, t));
    }

    /** The newest report of a symptom of low blood pressure in the last 72 hours, from anyone. */
    public Optional<LabEvidence> hypotensionSymptom(Instant asOf) {
        return of(ObservationKind.SYMPTOM, asOf.minus(SYMPTOM_WINDOW)).stream()
                .filter(e -> ObservationKind.HYPOTENSION_SYMPTOMS.containsKey(e.code()))
                .max(Comparator.comparing(LabEvidence::measured).thenComparing(e -> !e.source().trusted()));
    }

    private static boolean pregnant(LabEvidence e) {
        return ObservationKind.PREGNANT.equals(e.code());
    }

    /** Evidence of {@code kind} measured at or after {@code since}. */
    private List<LabEvidence> of(ObservationKind kind, Instant since) {
        return evidence.stream().filter(e -> e.kind() == kind && !e.measured().isBefore(since)).toList();
    }

    /** The newest trusted evidence; of several measured at the same instant, the greatest by {@code worse}. */
    private static Optional<LabEvidence> newestTrusted(List<LabEvidence> evidence, Comparator<LabEvidence> worse) {
        return evidence.stream().filter(e -> e.source().trusted())
                .max(Comparator.comparing(LabEvidence::measured).thenComparing(worse));
    }

    /** Untrusted evidence that no trusted value has superseded: measured at or after it, or all without one. */
    private static List<LabEvidence> untrustedSince(List<LabEvidence> evidence, Optional<LabEvidence> trusted) {
        Predicate<LabEvidence> open = e -> trusted.isEmpty() || !e.measured().isBefore(trusted.get().measured());
        return evidence.stream().filter(e -> !e.source().trusted()).filter(open).toList();
    }
}
