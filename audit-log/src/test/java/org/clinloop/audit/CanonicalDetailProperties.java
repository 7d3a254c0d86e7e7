package org.clinloop.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * {@link EntryCodec#canonicalDetail} streams a detail whose keys already come out in order
 * instead of reading it back and writing it again. Every audit entry's hash depends on those bytes,
 * so the shortcut must give exactly what the definition ({@link EntryCodec#canonicalByRoundTrip})
 * gives: for nested maps in any key order (also with non-text keys), lists, records whose
 * components are not in alphabetical order, and every kind of number, text and instant.
 */
class CanonicalDetailProperties {

    enum Tier { AUTO, NEEDS_APPROVAL }

    /** Components deliberately out of alphabetical order, with a nested value. */
    record Finding(String zone, double score, Object nested, String alpha, Tier tier) {
    }

    /** A record with an extra accessor-like method that Jackson also writes. */
    record Reading(BigDecimal value, String code) {
        public String getDisplay() {
            return code + " " + value;
        }
    }

    @Property(tries = 1000, seed = "20261207")
    void theStreamedFormIsTheRoundTripForm(@ForAll("details") Map<String, Object> detail) {
        assertThat(EntryCodec.canonicalDetail(detail)).isEqualTo(EntryCodec.canonicalByRoundTrip(detail));
    }

    @Property(tries = 300, seed = "20261208")
    void aDetailAlreadyInOrderIsWrittenAsTheRoundTripWritesIt(@ForAll("sortedDetails") Map<String, Object> detail) {
        // Sorted maps of scalars take the streamed way; the numbers and texts must still come out alike.
        assertThat(EntryCodec.canonicalDetail(detail)).isEqualTo(EntryCodec.canonicalByRoundTrip(detail));
    }

    @Provide
    Arbitrary<Map<String, Object>> details() {
        return maps(value(3), false);
    }

    @Provide
    Arbitrary<Map<String, Object>> sortedDetails() {
        return maps(scalars(), true);
    }

    private Arbitrary<Map<String, Object>> maps(Arbitrary<Object> values, boolean sorted) {
        return Arbitraries.maps(keys(), values).ofMaxSize(6).map(m -> {
            Map<String, Object> out = sorted ? new TreeMap<>() : new LinkedHashMap<>();
            List<String> order = new ArrayList<>(m.keySet());
            if (!sorted) {
                java.util.Collections.reverse(order);
            }
            order.forEach(k -> out.put(k, m.get(k)));
            return out;
        });
    }

    private Arbitrary<Object> value(int depth) {
        if (depth == 0) {
            return scalars();
        }
        Arbitrary<Object> inner = Arbitraries.lazy(() -> value(depth - 1));
        return Arbitraries.frequencyOf(
                Tuple.of(6, scalars()),
                Tuple.of(2, Arbitraries.maps(keys(), inner).ofMaxSize(4).map(m -> {
                    // Insertion order reversed from the generator's, so most maps arrive unsorted.
                    Map<String, Object> reversed = new LinkedHashMap<>();
                    List<String> order = new ArrayList<>(m.keySet());
                    java.util.Collections.reverse(order);
                    order.forEach(k -> reversed.put(k, m.get(k)));
                    return (Object) reversed;
                })),
                Tuple.of(1, Arbitraries.maps(Arbitraries.integers().between(-20, 200), inner).ofMaxSize(4)
                        .map(m -> (Object) m)),
                Tuple.of(2, inner.list().ofMaxSize(4).map(l -> (Object) l)),
                Tuple.of(1, Arbitraries.maps(keys(), inner).ofMaxSize(3).map(m -> (Object) new TreeMap<>(m))),
                Tuple.of(1, net.jqwik.api.Combinators.combine(keys(), doubles(), inner, keys(),
                        Arbitraries.of(Tier.class)).as((z, d, n, a, t) -> (Object) new Finding(z, d, n, a, t))),
                Tuple.of(1, net.jqwik.api.Combinators.combine(bigDecimals(), keys())
                        .as((v, c) -> (Object) new Reading(v, c))));
    }

    private Arbitrary<Object> scalars() {
        return Arbitraries.oneOf(
                texts().map(s -> (Object) s),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.bigIntegers().between(BigInteger.TEN.pow(30).negate(), BigInteger.TEN.pow(30))
                        .map(b -> (Object) b),
                doubles().map(d -> (Object) d),
                Arbitraries.floats().map(f -> (Object) f),
                Arbitraries.of(Float.NaN, Float.MIN_VALUE, 1.0e-5f, 0.1f, 3.4028235e38f).map(f -> (Object) f),
                bigDecimals().map(b -> (Object) b),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null),
                Arbitraries.longs().between(-2_000_000_000_000L, 4_000_000_000_000L)
                        .map(ms -> (Object) Instant.ofEpochMilli(ms).plusNanos(ms % 1000 * 1000)),
                Arbitraries.of(Tier.class).map(t -> (Object) t));
    }

    private static Arbitrary<Double> doubles() {
        return Arbitraries.oneOf(Arbitraries.doubles(),
                Arbitraries.doubles().between(-1e-300, 1e-300).ofScale(310),
                Arbitraries.of(0.0, -0.0, 1e21, 1e-7, 123.0, 0.1 + 0.2, Double.MAX_VALUE, Double.MIN_VALUE,
                        Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY));
    }

    private static Arbitrary<BigDecimal> bigDecimals() {
        return Arbitraries.oneOf(Arbitraries.bigDecimals().ofScale(3),
                Arbitraries.of(new BigDecimal("152.0"), new BigDecimal("1E+3"), new BigDecimal("0.000001"),
                        new BigDecimal("12345678901234567890.5")));
    }

    private static Arbitrary<String> keys() {
        return Arbitraries.oneOf(Arbitraries.strings().alpha().ofMinLength(0).ofMaxLength(6),
                Arbitraries.of("a", "B", "_", "é", "\u0000", "\uD83D\uDE00", "10", "9", "aa", "a b"));
    }

    private static Arbitrary<String> texts() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(12),
                Arbitraries.strings().all().ofMaxLength(8),
                Arbitraries.of("", "\"", "\\", "\n\t", "</script>", "\u2028", "\uD83D\uDE00"));
    }
}
