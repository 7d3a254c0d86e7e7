package org.clinloop.cds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which prefetch a fhirAuthorization token allows ClinLoop to fetch, and how the query is sent. */
class PrefetchResolverTest {

    @Test
    void smartScopesGrantReadsOfTheirTypeOnly() {
        String scopes = "launch patient/Patient.read patient/Observation.rs openid";
        assertThat(PrefetchResolver.grants(scopes, "Patient")).isTrue();
        assertThat(PrefetchResolver.grants(scopes, "Observation")).isTrue();
        assertThat(PrefetchResolver.grants(scopes, "MedicationRequest")).isFalse();
        assertThat(PrefetchResolver.grants("user/*.read", "MedicationRequest")).isTrue();
        assertThat(PrefetchResolver.grants("system/Observation.c", "Observation")).isFalse();
        assertThat(PrefetchResolver.grants("patient/Observation.write", "Observation")).isFalse();
        assertThat(PrefetchResolver.grants("Observation.read", "Observation")).isFalse();
        assertThat(PrefetchResolver.grants("", "Patient")).isFalse();
    }

    @Test
    void queryValuesAreEncodedSoATokensBarIsAValidUrl() {
        assertThat(PrefetchResolver.encoded("Observation?patient=p-1&code=http://loinc.org|85354-9&_sort=-date"))
                .isEqualTo("Observation?patient=p-1&code=http%3A%2F%2Floinc.org%7C85354-9&_sort=-date");
        assertThat(PrefetchResolver.encoded("Patient/p-1")).isEqualTo("Patient/p-1");
    }
}
