package org.clinloop.service.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.eclipse.microprofile.config.spi.Converter;
import org.junit.jupiter.api.Test;

/** The rate limits read from MicroProfile Config: defaults, kinds, a client's own, switched off, a bad value. */
class RequestRateConfigTest {

    /** A Config over a map: only what RequestRate reads. */
    record MapConfig(Map<String, String> values) implements Config {
        @Override
        public <T> Optional<T> getOptionalValue(String name, Class<T> type) {
            String v = values.get(name);
            if (v == null) {
                return Optional.empty();
            }
            Object converted = type == Double.class ? Double.valueOf(v) : type == Long.class ? Long.valueOf(v)
                    : type == Integer.class ? Integer.valueOf(v) : type == Boolean.class ? Boolean.valueOf(v) : v;
            return Optional.of(type.cast(converted));
        }

        @Override
        public Iterable<String> getPropertyNames() {
            return values.keySet();
        }

        @Override
        public <T> T getValue(String name, Class<T> type) {
            return getOptionalValue(name, type).orElseThrow();
        }

        @Override
        public ConfigValue getConfigValue(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Iterable<ConfigSource> getConfigSources() {
            return java.util.List.of();
        }

        @Override
        public <T> Optional<Converter<T>> getConverter(Class<T> type) {
            return Optional.empty();
        }

        @Override
        public <T> T unwrap(Class<T> type) {
            throw new UnsupportedOperationException();
        }
    }

    static final Caller GATEWAY = Caller.of("s", "service-account-gw-2", "gw-2", Set.of("ehr-system"));
    static final Caller CLINICIAN = Caller.of("s", "dr.rivera", "clinloop-portal", Set.of("clinician"));
    static final Caller PATIENT = Caller.of("s", "sam.lee", "clinloop-portal", Set.of("patient"));

    @Test
    void theDefaultsAreGenerousForSystemsAndModestForPatients() {
        CallerRates rates = RequestRate.fromConfig(new MapConfig(Map.of()));
        assertThat(rates.rateOf(GATEWAY)).isEqualTo(new TokenBucket.Rate(1000, 20_000));
        assertThat(rates.rateOf(CLINICIAN)).isEqualTo(new TokenBucket.Rate(50, 1000));
        assertThat(rates.rateOf(PATIENT)).isEqualTo(new TokenBucket.Rate(5, 100));
        assertThat(rates.settings().maxCallers()).isEqualTo(100_000);
    }

    @Test
    void kindsAndClientsMayBeSetAndTheyMaySwitchOff() {
        CallerRates rates = RequestRate.fromConfig(new MapConfig(Map.of(
                "clinloop.limits.rate.patient.per-second", "2",
                "clinloop.limits.rate.client.gw-2.burst", "7")));
        assertThat(rates.rateOf(PATIENT)).isEqualTo(new TokenBucket.Rate(2, 100));
        assertThat(rates.rateOf(GATEWAY)).as("its own burst, the kind's rate").isEqualTo(new TokenBucket.Rate(1000, 7));
        assertThat(RequestRate.fromConfig(new MapConfig(Map.of("clinloop.limits.rate.enabled", "false")))).isNull();
    }

    @Test
    void aBadValueFailsStartUpNamingItsKey() {
        assertThatThrownBy(() -> RequestRate.fromConfig(new MapConfig(Map.of("clinloop.limits.rate.staff.burst", "0"))))
                .hasMessageStartingWith("clinloop.limits.rate.staff.per-second / .burst: Expected a burst of 1");
        assertThatThrownBy(() -> RequestRate.fromConfig(new MapConfig(Map.of(
                "clinloop.limits.rate.client.gw-9.per-second", "-1"))))
                .hasMessageStartingWith("clinloop.limits.rate.client.gw-9.per-second / .burst: Expected a rate");
    }
}
