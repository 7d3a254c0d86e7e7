package org.clinloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.clinloop.approval.ProtocolLimits;
import org.hl7.fhir.r4.model.Dosage;
import org.hl7.fhir.r4.model.MedicationRequest;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Timing;
import org.junit.jupiter.api.Test;

/** How an EHR order's dosage becomes a daily dose, and so a rung of the protocol's ladder. */
class PrescriptionDoseTest {

    static final Prescriptions.Product TEN_MG = Prescriptions.PRODUCTS.get("314076");

    static MedicationRequest order(double tablets, String unit, int frequency, double period, Timing.UnitsOfTime per) {
        MedicationRequest mr = new MedicationRequest();
        Dosage d = mr.addDosageInstruction();
        d.getTiming().getRepeat().setFrequency(frequency).setPeriod(period).setPeriodUnit(per);
        Quantity q = d.addDoseAndRate().getDoseQuantity().setValue(tablets);
        if (unit != null) {
            q.setCode(unit).setSystem("http://unitsofmeasure.org");
        }
        return mr;
    }

    @Test
    void syntheaStyleOneTabletOnceADayOfTenMgIsStepTwo() {
        Prescriptions.Dose dose = Prescriptions.dailyDose(order(1, null, 1, 1, Timing.UnitsOfTime.D), TEN_MG);
        assertThat(dose.problem()).isNull();
        assertThat(dose.mgPerDay()).isEqualByComparingTo("10");
        assertThat(ProtocolLimits.HYPERTENSION_ACEI.ladder().stepOf(dose.mgPerDay())).hasValue(2);
    }

    @Test
    void everyTwelveHoursAndMilligramDosesAreCounted() {
        assertThat(Prescriptions.dailyDose(order(1, "{tbl}", 1, 12, Timing.UnitsOfTime.H), TEN_MG).mgPerDay())
                .isEqualByComparingTo("20");
        assertThat(Prescriptions.dailyDose(order(5, "mg", 1, 1, Timing.UnitsOfTime.D), TEN_MG).mgPerDay())
                .isEqualByComparingTo("5");
        assertThat(Prescriptions.dailyDose(order(7, null, 1, 1, Timing.UnitsOfTime.WK), TEN_MG).mgPerDay())
                .isEqualByComparingTo("10");
    }

    @Test
    void whatGivesNoDailyDoseSaysWhy() {
        MedicationRequest asNeeded = order(1, null, 1, 1, Timing.UnitsOfTime.D);
        asNeeded.getDosageInstructionFirstRep().setAsNeeded(new org.hl7.fhir.r4.model.BooleanType(true));
        assertThat(Prescriptions.dailyDose(asNeeded, TEN_MG).problem()).contains("as needed");
        assertThat(Prescriptions.dailyDose(new MedicationRequest(), TEN_MG).problem()).contains("no dosageInstruction");
        assertThat(Prescriptions.dailyDose(order(1, "mL", 1, 1, Timing.UnitsOfTime.D), TEN_MG).problem())
                .contains("found mL");
        MedicationRequest noTiming = new MedicationRequest();
        noTiming.addDosageInstruction().addDoseAndRate().getDoseQuantity().setValue(1);
        assertThat(Prescriptions.dailyDose(noTiming, TEN_MG).problem()).contains("timing");
    }

    /** Whatever the dosage, a daily dose that maps to a step is exactly that step's dose: no rounding onto the ladder. */
    @Property(tries = 500)
    void aStepIsOnlyEverTheExactLadderDose(@ForAll @IntRange(min = 1, max = 4) int tablets,
                                           @ForAll @IntRange(min = 1, max = 4) int timesADay,
                                           @ForAll("products") String rxnorm) {
        Prescriptions.Product product = Prescriptions.PRODUCTS.get(rxnorm);
        Prescriptions.Dose dose = Prescriptions.dailyDose(order(tablets, null, timesADay, 1, Timing.UnitsOfTime.D),
                product);
        BigDecimal expected = product.strengthMg().multiply(BigDecimal.valueOf((long) tablets * timesADay));
        assertThat(dose.mgPerDay()).isEqualByComparingTo(expected);
        ProtocolLimits.HYPERTENSION_ACEI.ladder().stepOf(dose.mgPerDay()).ifPresent(step ->
                assertThat(ProtocolLimits.HYPERTENSION_ACEI.ladder().dose(step)).isEqualByComparingTo(expected));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> products() {
        return net.jqwik.api.Arbitraries.of(Prescriptions.PRODUCTS.keySet());
    }
}
