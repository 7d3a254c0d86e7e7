package org.clinloop.ingest;

import java.io.InputStream;
import java.util.Optional;
import org.fhir.ucum.Decimal;
import org.fhir.ucum.UcumEssenceService;
import org.fhir.ucum.UcumException;

/** UCUM: validates unit codes and converts between commensurable units (e.g. kPa → mm[Hg]). */
public final class Units {

    private static final UcumEssenceService UCUM = load();

    private Units() {
    }

    private static UcumEssenceService load() {
        try (InputStream in = Units.class.getClassLoader().getResourceAsStream("ucum-essence.xml")) {
            if (in == null) {
                throw new IllegalStateException("ucum-essence.xml is missing from the class path");
            }
            return new UcumEssenceService(in);
        } catch (java.io.IOException | UcumException e) {
            throw new IllegalStateException("UCUM definitions cannot be read: " + e.getMessage(), e);
        }
    }

    /** Why {@code code} is not a valid UCUM unit, or empty when it is. */
    public static Optional<String> problem(String code) {
        if (code == null || code.isBlank()) {
            return Optional.of("no unit code");
        }
        return Optional.ofNullable(UCUM.validate(code));
    }

    /** {@code value} in {@code to}, or empty when the units are not commensurable (or not valid). */
    public static Optional<Double> convert(double value, String from, String to) {
        if (from.equals(to)) {
            return Optional.of(value);
        }
        try {
            Decimal out = UCUM.convert(new Decimal(Double.toString(value)), from, to);
            return Optional.of(Double.parseDouble(out.asDecimal()));
        } catch (UcumException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
