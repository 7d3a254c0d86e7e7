package org.clinloop.cds;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.clinloop.approval.CareGoal;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;

/**
 * Blood pressure against the patient's goal, for the patient-view card: the mean of the readings
 * of the week up to the newest, below the goal's systolic and diastolic targets or not (as the
 * panel weighs it), and a crisis when the newest is at or above 180/120.
 */
final class BloodPressureStatus {

    static final String BP_PANEL = "85354-9";
    static final String SYSTOLIC = "8480-6";
    static final String DIASTOLIC = "8462-4";

    record Reading(Instant at, double systolic, double diastolic) {
    }

    private BloodPressureStatus() {
    }

    /** Blood-pressure panels in a search Bundle (or one Observation), oldest first; others are skipped. */
    static List<Reading> readings(IBaseResource resource) {
        List<Observation> observations = new ArrayList<>();
        if (resource instanceof Bundle b) {
            b.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                    .filter(Observation.class::isInstance).map(Observation.class::cast).forEach(observations::add);
        } else if (resource instanceof Observation o) {
            observations.add(o);
        }
        List<Reading> out = new ArrayList<>();
        for (Observation o : observations) {
            if (o.getCode().getCoding().stream().noneMatch(c -> BP_PANEL.equals(c.getCode())) || !o.hasEffectiveDateTimeType()) {
                continue;
            }
            Double sys = component(o, SYSTOLIC);
            Double dia = component(o, DIASTOLIC);
            if (sys != null && dia != null && o.getEffectiveDateTimeType().getValue() != null) {
                out.add(new Reading(o.getEffectiveDateTimeType().getValue().toInstant(), sys, dia));
            }
        }
        out.sort(Comparator.comparing(Reading::at));
        return out;
    }

    private static Double component(Observation o, String code) {
        return o.getComponent().stream()
                .filter(c -> c.getCode().getCoding().stream().anyMatch(x -> code.equals(x.getCode())))
                .filter(c -> c.hasValueQuantity() && c.getValueQuantity().getValue() != null)
                .map(c -> c.getValueQuantity().getValue().doubleValue()).findFirst().orElse(null);
    }

    /** The card: indicator, summary and detail. */
    static CdsCard card(String uuid, List<Reading> readings, CareGoal goal, String from, CdsCard.Source source) {
        String target = String.format(Locale.ROOT, "<%.0f/%.0f mm[Hg]", goal.systolicTarget(), goal.diastolicTarget());
        if (readings.isEmpty()) {
            return CdsCard.of(uuid, CdsCard.INFO, "No blood-pressure reading to compare with the target " + target,
                    "No blood-pressure panel (LOINC 85354-9) in " + from + ".", source);
        }
        Reading newest = readings.get(readings.size() - 1);
        List<Reading> week = readings.stream()
                .filter(r -> !r.at().isBefore(newest.at().minus(Duration.ofDays(7)))).toList();
        double sys = week.stream().mapToDouble(Reading::systolic).average().orElseThrow();
        double dia = week.stream().mapToDouble(Reading::diastolic).average().orElseThrow();
        boolean atTarget = sys < goal.systolicTarget() && dia < goal.diastolicTarget();
        boolean crisis = newest.systolic() >= 180 || newest.diastolic() >= 120;
        String mean = String.format(Locale.ROOT, "%.0f/%.0f mm[Hg]", sys, dia);
        String detail = String.format(Locale.ROOT, "Mean of %d reading(s) in the week up to %s: **%s**; target %s "
                        + "(set by %s). Newest: %.0f/%.0f mm[Hg] at %s. Source: %s.", week.size(), newest.at(), mean,
                target, goal.setBy(), newest.systolic(), newest.diastolic(), newest.at(), from);
        if (crisis) {
            return CdsCard.of(uuid, CdsCard.CRITICAL, String.format(Locale.ROOT,
                    "Blood pressure %.0f/%.0f mm[Hg]: hypertensive crisis range", newest.systolic(), newest.diastolic()),
                    detail, source);
        }
        return atTarget
                ? CdsCard.of(uuid, CdsCard.INFO, "Blood pressure at target: 7-day mean " + mean + " (target " + target + ")",
                        detail, source)
                : CdsCard.of(uuid, CdsCard.WARNING, "Blood pressure above target: 7-day mean " + mean + " (target "
                        + target + ")", detail, source);
    }
}
