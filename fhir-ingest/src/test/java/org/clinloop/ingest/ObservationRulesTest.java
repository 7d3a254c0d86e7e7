package org.clinloop.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;

class ObservationRulesTest {

    static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
    static final String UCUM = ObservationRules.UCUM;

    static Observation base(String loinc, String category) {
        Observation o = new Observation();
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.setCode(new CodeableConcept(new Coding(ObservationRules.LOINC, loinc, null)));
        if (category != null) {
            o.addCategory(new CodeableConcept(new Coding(ObservationRules.CATEGORY_SYSTEM, category, null)));
        }
        o.setSubject(new Reference("Patient/p1"));
        o.setEffective(new DateTimeType(Date.from(NOW.minusSeconds(3600))));
        return o;
    }

    static Observation bp(double sys, double dia, String unit) {
        Observation o = base(ObservationRules.BP_PANEL, "vital-signs");
        o.addComponent().setCode(new CodeableConcept(new Coding(ObservationRules.LOINC, ObservationRules.SYSTOLIC, null)))
                .setValue(new Quantity().setValue(BigDecimal.valueOf(sys)).setSystem(UCUM).setCode(unit));
        o.addComponent().setCode(new CodeableConcept(new Coding(ObservationRules.LOINC, ObservationRules.DIASTOLIC, null)))
                .setValue(new Quantity().setValue(BigDecimal.valueOf(dia)).setSystem(UCUM).setCode(unit));
        return o;
    }

    static Observation quantity(String loinc, String category, double value, String unit) {
        Observation o = base(loinc, category);
        o.setValue(new Quantity().setValue(BigDecimal.valueOf(value)).setSystem(UCUM).setCode(unit));
        return o;
    }

    @Test
    void bloodPressureInMmHgIsAReading() {
        ObservationRules.Checked c = ObservationRules.check(bp(150, 95, "mm[Hg]"), "o1", NOW);
        assertTrue(c.ok(), c.problems().toString());
        assertEquals(ObservationKind.BLOOD_PRESSURE, c.kind());
        assertEquals(150, c.reading().systolic(), 1e-9);
        assertEquals(95, c.reading().diastolic(), 1e-9);
        assertEquals("p1", c.patientId());
    }

    @Test
    void bloodPressureInKilopascalIsConverted() {
        ObservationRules.Checked c = ObservationRules.check(bp(20, 12, "kPa"), "o1", NOW);
        assertTrue(c.ok(), c.problems().toString());
        assertEquals(20 / 0.133322, c.reading().systolic(), 1e-6);
        assertEquals(12 / 0.133322, c.reading().diastolic(), 1e-6);
    }

    @Property
    void kilopascalAndMmHgAgreeWithinRounding(@ForAll @DoubleRange(min = 80, max = 250) double systolicMmHg) {
        double kpa = systolicMmHg * 0.133322;
        double dia = systolicMmHg * 0.6;
        ObservationRules.Checked c = ObservationRules.check(bp(kpa, dia * 0.133322, "kPa"), "o1", NOW);
        assertTrue(c.ok(), c.problems().toString());
        assertEquals(systolicMmHg, c.reading().systolic(), 1e-6 * systolicMmHg); // UCUM: 1 mm[Hg] = 133.3220 Pa
    }

    @Test
    void mmHgWithoutBracketsIsRefusedWithAHint() {
        ObservationRules.Checked c = ObservationRules.check(bp(150, 95, "mmHg"), "o1", NOW);
        assertEquals(2, c.problems().size());
        InputProblem p = c.problems().get(0);
        assertEquals("Observation.component[0].valueQuantity.code", p.expression());
        assertTrue(p.message().contains("found http://unitsofmeasure.org|mmHg"), p.message());
        assertTrue(p.message().contains("mm[Hg], with brackets"), p.message());
        assertNull(c.reading());
    }

    @Test
    void incommensurableUnitIsRefused() {
        ObservationRules.Checked c = ObservationRules.check(bp(150, 95, "kg"), "o1", NOW);
        assertTrue(c.problems().get(0).message().startsWith("expected a unit convertible to mm[Hg], found kg"),
                c.problems().get(0).message());
    }

    @Test
    void implausibleValuesNameTheRangeAndTheFoundValue() {
        ObservationRules.Checked c = ObservationRules.check(bp(400, 95, "mm[Hg]"), "o1", NOW);
        assertEquals("expected systolic between 40 and 300 mm[Hg], found 400", c.problems().get(0).message());
        c = ObservationRules.check(bp(120, 130, "mm[Hg]"), "o1", NOW);
        assertEquals("expected diastolic below systolic, found 120/130 mm[Hg]", c.problems().get(0).message());
    }

    @Test
    void vitalSignsNeedTheirCategory() {
        ObservationRules.Checked c = ObservationRules.check(quantity("8867-4", null, 72, "/min"), "o1", NOW);
        assertEquals("Observation.category", c.problems().get(0).expression());
    }

    @Test
    void heartRateStepsWeightAndSaturationAreMeasurements() {
        assertMeasured(quantity("8867-4", "vital-signs", 72, "/min"), ObservationKind.HEART_RATE, 72);
        assertMeasured(quantity("41950-7", "activity", 8000, "/d"), ObservationKind.STEPS, 8000);
        assertMeasured(quantity("29463-7", "vital-signs", 80, "kg"), ObservationKind.BODY_WEIGHT, 80);
        assertMeasured(quantity("29463-7", "vital-signs", 176.37, "[lb_av]"), ObservationKind.BODY_WEIGHT, 80.0);
        assertMeasured(quantity("59408-5", "vital-signs", 97, "%"), ObservationKind.OXYGEN_SATURATION, 97);
    }

    @Test
    void labsAreConvertedToTheirStoredUnit() {
        assertMeasured(quantity("2823-3", "laboratory", 5.9, "mmol/L"), ObservationKind.POTASSIUM, 5.9);
        // UCUM defines eq as mol, right for a monovalent ion such as K+.
        assertMeasured(quantity("2823-3", "laboratory", 5.9, "meq/L"), ObservationKind.POTASSIUM, 5.9);
        assertMeasured(quantity("33914-3", "laboratory", 55, "mL/min/{1.73_m2}"), ObservationKind.EGFR, 55);
        assertMeasured(quantity("2823-3", "laboratory", 0.0059, "mol/L"), ObservationKind.POTASSIUM, 5.9);
    }

    @Test
    void pregnancyStatusIsCoded() {
        Observation o = base("82810-3", null);
        o.setValue(new CodeableConcept(new Coding(ObservationRules.SNOMED, ObservationKind.PREGNANT, "Pregnant")));
        ObservationRules.Checked c = ObservationRules.check(o, "o1", NOW);
        assertTrue(c.ok(), c.problems().toString());
        assertEquals(ObservationKind.PREGNANT, c.measurement().code());
        o.setValue(new Quantity().setValue(1));
        c = ObservationRules.check(o, "o1", NOW);
        assertEquals("Observation.valueCodeableConcept", c.problems().get(0).expression());
    }

    @Test
    void unknownCodeFutureTimeAndMissingSubjectAreAllReported() {
        Observation o = quantity("1234-5", "vital-signs", 1, "kg");
        o.setEffective(new DateTimeType(Date.from(NOW.plusSeconds(3600))));
        o.setSubject(new Reference("Group/g"));
        ObservationRules.Checked c = ObservationRules.check(o, "o1", NOW);
        assertEquals(3, c.problems().size(), c.problems().toString());
        assertTrue(c.problems().get(0).message().contains("found http://loinc.org|1234-5"));
    }

    @Test
    void preliminaryReadingsAreRefused() {
        Observation o = bp(150, 95, "mm[Hg]");
        o.setStatus(Observation.ObservationStatus.PRELIMINARY);
        ObservationRules.Checked c = ObservationRules.check(o, "o1", NOW);
        assertEquals("Observation.status", c.problems().get(0).expression());
    }

    private static void assertMeasured(Observation o, ObservationKind kind, double value) {
        ObservationRules.Checked c = ObservationRules.check(o, "o1", NOW);
        assertTrue(c.ok(), c.problems().toString());
        assertEquals(kind, c.kind());
        assertNotNull(c.measurement());
        assertEquals(value, c.measurement().value(), 0.01);
    }
}
