package org.clinloop.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

/**
 * What {@link ConformingShapes} lets {@link ProfileCheck} skip must not change a verdict: a check
 * that remembers clean shapes answers every reading exactly as the full validator does. Readings
 * are the kinds gateways and EHRs send, with the values the shape masks (ids, identifiers,
 * references, times, numbers) drawn both in the masked forms and outside them (wrong characters,
 * too long, impossible dates, missing seconds or zone, out-of-range offsets, huge or over-precise
 * numbers), so that a mask that let a refusable value through would show as a difference.
 */
class ConformingShapesProperties {

    static final FhirContext FHIR = FhirContext.forR4Cached();
    static final ObjectMapper JSON = new ObjectMapper();
    /** Validates every reading in full. */
    static final ProfileCheck FULL = new ProfileCheck(FHIR, 0);
    /** Remembers clean shapes, across all tries. */
    static final ProfileCheck REMEMBERING = new ProfileCheck(FHIR, ProfileCheck.SHAPES);

    static final String BP = """
            {"resourceType":"Observation","id":"x","status":"final",
             "identifier":[{"system":"urn:gateway:acme","value":"x"}],
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"85354-9"}]},
             "subject":{"reference":"Patient/x"},"device":{"reference":"Device/x"},
             "effectiveDateTime":"x","issued":"x",
             "component":[
              {"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},
               "valueQuantity":{"value":1,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}},
              {"code":{"coding":[{"system":"http://loinc.org","code":"8462-4"}]},
               "valueQuantity":{"value":1,"unit":"mmHg","system":"http://unitsofmeasure.org","code":"mm[Hg]"}}]}""";
    static final String HEART_RATE = """
            {"resourceType":"Observation","id":"x","status":"final",
             "identifier":[{"system":"urn:gateway:acme","value":"x"}],
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"vital-signs"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
             "subject":{"reference":"Patient/x"},"effectiveDateTime":"x","issued":"x",
             "valueQuantity":{"value":1,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}""";
    static final String POTASSIUM = """
            {"resourceType":"Observation","id":"x","status":"final",
             "identifier":[{"system":"urn:ehr:lab","value":"x"}],
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"laboratory"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"2823-3"}]},
             "subject":{"reference":"Patient/x"},"performer":[{"reference":"Practitioner/x"}],
             "effectiveDateTime":"x","issued":"x",
             "valueQuantity":{"value":1,"unit":"mmol/L","system":"http://unitsofmeasure.org","code":"mmol/L"}}""";
    static final String STEPS = """
            {"resourceType":"Observation","id":"x","status":"final",
             "category":[{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/observation-category","code":"activity"}]}],
             "code":{"coding":[{"system":"http://loinc.org","code":"41950-7"}]},
             "subject":{"reference":"Patient/x"},"effectiveDateTime":"x",
             "valueInteger":1}""";

    /** The values a shape masks, for one reading. */
    record Values(String id, String identifier, String patient, String other, String effective, String issued,
                  String number1, String number2) {
    }

    @Provide
    Arbitrary<String> templates() {
        return Arbitraries.of(BP, HEART_RATE, POTASSIUM, STEPS);
    }

    static Arbitrary<String> ids(boolean inForm) {
        Arbitrary<String> good = Arbitraries.strings().withChars("abcXYZ019-.").ofMinLength(1).ofMaxLength(64);
        if (inForm) {
            return good;
        }
        return Arbitraries.oneOf(good, Arbitraries.strings().ofMinLength(0).ofMaxLength(70),
                Arbitraries.of("", " p1", "p1 ", "p 1", "a".repeat(65), "é", "p1\n", "p/1", "_x"));
    }

    static Arbitrary<String> times(boolean inForm) {
        Arbitrary<String> good = Combinators.combine(Arbitraries.integers().between(1900, 2999),
                        Arbitraries.integers().between(1, 12), Arbitraries.integers().between(1, 28),
                        Arbitraries.integers().between(0, 23), Arbitraries.integers().between(0, 59),
                        Arbitraries.of("Z", "+01:00", "-05:30", "+14:00", ".123Z", ".5+02:00"))
                .as((y, mo, d, h, mi, z) -> String.format("%04d-%02d-%02dT%02d:%02d:%02d%s", y, mo, d, h, mi, 17, z));
        if (inForm) {
            return good;
        }
        return Arbitraries.oneOf(good, Arbitraries.of("2026-02-30T10:00:00Z", "2026-13-01T10:00:00Z",
                "2026-01-01T24:00:00Z", "2026-01-01T10:00Z", "2026-01-01T10:00:00", "2026-01-01", "2026",
                "0000-01-01T00:00:00Z", "2026-01-01T10:00:60Z", "2026-01-01T10:00:00+15:00", "2026-01-01T10:00:00+14:30",
                "1899-12-31T23:59:59Z", "3000-01-01T00:00:00Z", "2026-01-01t10:00:00z", " 2026-01-01T10:00:00Z",
                "2026-01-01T10:00:00.1234567891Z", "yesterday", ""));
    }

    static Arbitrary<String> numbers(boolean inForm) {
        Arbitrary<String> good = Arbitraries.bigDecimals().between(BigDecimal.valueOf(-999), BigDecimal.valueOf(99_999))
                .ofScale(2).map(b -> b.stripTrailingZeros().toPlainString());
        if (inForm) {
            return good;
        }
        return Arbitraries.oneOf(good, Arbitraries.of("1e400", "-1e-400", "1.0000000001", "12345678901", "0.0000001",
                "1E2", "\"120\"", "true", "null", "[]", "{}"));
    }

    @Provide
    Arbitrary<Values> values() {
        return Arbitraries.of(true, false).flatMap(inForm -> Combinators.combine(ids(inForm), ids(inForm),
                ids(inForm), ids(inForm), times(inForm), times(inForm), numbers(inForm), numbers(inForm))
                .as(Values::new));
    }

    static String reading(String template, Values v) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(template);
        o.put("id", v.id());
        if (o.has("identifier")) {
            ((ObjectNode) o.get("identifier").get(0)).put("value", v.identifier());
        }
        ((ObjectNode) o.get("subject")).put("reference", "Patient/" + v.patient());
        if (o.has("device")) {
            ((ObjectNode) o.get("device")).put("reference", "Device/" + v.other());
        }
        if (o.has("performer")) {
            ((ObjectNode) o.get("performer").get(0)).put("reference", "Practitioner/" + v.other());
        }
        o.put("effectiveDateTime", v.effective());
        if (o.has("issued")) {
            o.put("issued", v.issued());
        }
        String text = o.toString();
        if (o.has("component")) {
            ArrayNode components = (ArrayNode) o.get("component");
            ((ObjectNode) components.get(0).get("valueQuantity")).put("value", 987654321987L);
            ((ObjectNode) components.get(1).get("valueQuantity")).put("value", 987654321986L);
            text = o.toString().replace("987654321987", v.number1()).replace("987654321986", v.number2());
        } else if (o.has("valueQuantity")) {
            ((ObjectNode) o.get("valueQuantity")).put("value", 987654321987L);
            text = o.toString().replace("987654321987", v.number1());
        } else {
            o.put("valueInteger", 987654321987L);
            text = o.toString().replace("987654321987", v.number1().replaceAll("\\..*", ""));
        }
        return text;
    }

    /** Parsed as the service parses (strictly); null when the parser already refuses it (a 400 before any check). */
    static Observation parsed(String json) {
        IParser parser = FHIR.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
        try {
            return parser.parseResource(Observation.class, json);
        } catch (DataFormatException | ClassCastException e) {
            return null;
        }
    }

    @Property(tries = 400, seed = "20261207")
    void aRememberedShapeNeverChangesAVerdict(@ForAll("templates") String template, @ForAll("values") Values seen,
                                              @ForAll("values") Values next) throws Exception {
        Observation first = parsed(reading(template, seen));
        Observation second = parsed(reading(template, next));
        Assume.that(first != null && second != null);
        REMEMBERING.check(first); // remembered when clean
        long reusedBefore = REMEMBERING.reuse().reused();
        ProfileCheck.ProfileReport answered = REMEMBERING.check(second);
        boolean reused = REMEMBERING.reuse().reused() > reusedBefore;
        Statistics.label("answered from a remembered shape").collect(reused);
        Statistics.label("verdict").collect(answered.ok() ? "conforms" : "refused");
        assertThat(answered).isEqualTo(FULL.check(second));
        Statistics.label("answered from a remembered shape").coverage(c -> c.check(true).percentage(p -> p > 15));
    }

    @Test
    void theShapeIgnoresOnlyMaskedValues() throws Exception {
        Values a = new Values("r1", "g-1", "p1", "d1", "2026-11-23T07:30:00Z", "2026-11-23T07:31:00.250Z", "148", "93");
        Values b = new Values("r2", "g-2", "p2", "d2", "2025-01-02T23:59:59Z", "2026-12-01T00:00:00.999Z", "152", "88");
        String shapeA = ConformingShapes.shapeOf(FHIR.newJsonParser().encodeResourceToString(parsed(reading(BP, a))));
        String shapeB = ConformingShapes.shapeOf(FHIR.newJsonParser().encodeResourceToString(parsed(reading(BP, b))));
        assertThat(shapeA).isNotNull().isEqualTo(shapeB);
        for (Values other : List.of(
                new Values("r 2", "g-2", "p2", "d2", "2025-01-02T23:59:59Z", "2026-12-01T00:00:00.999Z", "152", "88"),
                new Values("r2", "g-2", "p2", "d2", "2025-01-02T23:59:59+01:00", "2026-12-01T00:00:00.999Z", "152", "88"),
                new Values("r2", "g-2", "p2", "d2", "2025-01-02T23:59:59Z", "2026-12-01T00:00:00.999Z", "52", "88"),
                new Values("r2", "g-2", "p2", "d2", "2025-01-02T23:59:59Z", "2026-12-01T00:00:00.999Z", "152.5", "88"))) {
            Observation o = parsed(reading(BP, other));
            assertThat(o).isNotNull();
            assertThat(ConformingShapes.shapeOf(FHIR.newJsonParser().encodeResourceToString(o))).isNotEqualTo(shapeA);
        }
        Observation heartRate = parsed(reading(HEART_RATE, a));
        assertThat(ConformingShapes.shapeOf(FHIR.newJsonParser().encodeResourceToString(heartRate))).isNotEqualTo(shapeA);
        assertThat(ConformingShapes.shapeOf("{\"resourceType\":\"Patient\",\"id\":\"p1\"}")).isNull();
    }

    @Test
    void aReadingWithAnythingToReportIsNeverRemembered() throws Exception {
        Values v = new Values("r1", "g-1", "p1", "d1", "2026-11-23T07:30:00Z", "2026-11-23T07:31:00Z", "148", "93");
        String json = reading(BP, v).replace("\"status\"", "\"meta\":{\"profile\":[\"http://example.org/fhir/StructureDefinition/unknown-bp\"]},\"status\"");
        Observation o = parsed(json);
        assertThat(o).isNotNull();
        ProfileCheck check = new ProfileCheck(FHIR, ProfileCheck.SHAPES);
        ProfileCheck.ProfileReport first = check.check(o);
        assertThat(first.warnings()).extracting(InputProblem::message).anyMatch(m -> m.contains("unknown-bp"));
        assertThat(check.check(o)).isEqualTo(first);
        assertThat(check.reuse()).isEqualTo(new ProfileCheck.Reuse(0, 2));
    }
}
