package org.clinloop.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PATIENT_DATA_READ and SIGN_IN_FAILED details as the writers wrote them (golden files, never
 * regenerated) parse into {@link PatientDataRead} and {@link SignInFailures} and re-encode to the
 * same canonical bytes, and today's writers still write exactly those bytes.
 */
class ReadAndSignInRecordsGoldenTest {

    static final Instant AT = Instant.parse("2026-12-07T10:17:00.000Z");

    static String golden(String name) {
        try (InputStream in = ReadAndSignInRecordsGoldenTest.class.getResourceAsStream("/golden/records/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static AuditEntry entry(AuditEventType type, String patient, String detailJson) {
        return new AuditEntry(7, 1, AT, type, "dr.rivera", patient, detailJson, EntryCodec.GENESIS_HASH, "");
    }

    @ParameterizedTest
    @ValueSource(strings = {"patient-data-read-search.json", "patient-data-read-panel.json",
            "patient-data-read-refused.json"})
    void everyPatientDataReadReEncodesToTheSameBytes(String file) {
        String json = golden(file);
        PatientDataRead read = PatientDataRead.fromEntry(entry(PatientDataRead.TYPE, null, json));
        String again = EntryCodec.canonicalDetail(read.toDetail());
        assertThat(again).isEqualTo(json);
        assertThat(EntryCodec.recomputeHash(entry(PatientDataRead.TYPE, read.patient(), again)))
                .isEqualTo(EntryCodec.recomputeHash(entry(PatientDataRead.TYPE, read.patient(), json)));
        assertThat(PatientDataRead.fromDetail(EntryCodec.parseDetail(json))).isEqualTo(read);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sign-in-failed-service.json", "sign-in-failed-keycloak.json"})
    void everySignInFailureReEncodesToTheSameBytes(String file) {
        String json = golden(file);
        SignInFailures failed = SignInFailures.fromEntry(entry(SignInFailures.TYPE, null, json));
        assertThat(EntryCodec.canonicalDetail(failed.toDetail())).isEqualTo(json);
        assertThat(SignInFailures.fromDetail(EntryCodec.parseDetail(json))).isEqualTo(failed);
    }

    @Test
    void theEdgesWriteTheGoldenBytes() {
        PatientDataRead search = PatientDataRead.of("GET", "/fhir/Observation", "search-type", "Observation",
                List.of("Observation/obs-7f37", "Observation/obs-7f39"), 2, List.of("demo-lee"),
                List.of("patient=Patient/demo-lee", "code=http://loinc.org|85354-9", "_count=2"), "clinloop-portal",
                List.of("clinician"), 200);
        assertThat(EntryCodec.canonicalDetail(search.toDetail())).isEqualTo(golden("patient-data-read-search.json"));
        PatientDataRead panel = PatientDataRead.of("GET", "/fhir/Patient", "search-type", "Patient",
                List.of("Patient/demo-jones", "Patient/demo-lee"), 2, List.of("demo-lee", "demo-jones"),
                List.of("name=e"), null, List.of("clinician"), 200);
        assertThat(EntryCodec.canonicalDetail(panel.toDetail())).isEqualTo(golden("patient-data-read-panel.json"));
        PatientDataRead refused = PatientDataRead.of("GET", "/api/patients/demo-lee/adjustments", "read",
                "/api/patients/{patient}/adjustments", List.of(), 0, List.of("demo-lee"), List.of("limit=5"),
                "clinloop-devtools", List.of("patient"), 403);
        assertThat(EntryCodec.canonicalDetail(refused.toDetail())).isEqualTo(golden("patient-data-read-refused.json"));
        SignInFailures service = new SignInFailures(SignInFailures.RefusedBy.SERVICE, "expired-token", "10.0.0.7",
                null, null, "GET /fhir/Observation", 42, Instant.parse("2026-12-07T10:15:00.120Z"),
                Instant.parse("2026-12-07T10:15:59.870Z"));
        assertThat(EntryCodec.canonicalDetail(service.toDetail())).isEqualTo(golden("sign-in-failed-service.json"));
    }

    @Test
    void aReadNamesItsOnePatientOnTheEntryAndSeveralOnlyInTheDetail() {
        PatientDataRead search = PatientDataRead.fromDetail(EntryCodec.parseDetail(golden("patient-data-read-search.json")));
        assertThat(search.event(new Actor("dr.rivera", null, java.util.Set.of("clinician"), null, "dr-rivera"))
                .patientId()).isEqualTo("demo-lee");
        assertThat(search.query()).containsExactly("_count=2", "code=http://loinc.org|85354-9",
                "patient=Patient/demo-lee");
        PatientDataRead panel = PatientDataRead.fromDetail(EntryCodec.parseDetail(golden("patient-data-read-panel.json")));
        assertThat(panel.patient()).isNull();
        assertThat(panel.patients()).containsExactly("demo-jones", "demo-lee");
        assertThat(panel.client()).isNull();
        PatientDataRead refused = PatientDataRead.fromDetail(EntryCodec.parseDetail(
                golden("patient-data-read-refused.json")));
        assertThat(refused.outcome()).isEqualTo(PatientDataRead.Outcome.REFUSED);
        assertThat(refused.patient()).isEqualTo("demo-lee");
    }

    @Test
    void theOutcomeFollowsTheStatus() {
        assertThat(List.of(200, 304, 401, 403, 404, 410, 400, 422, 500, 503).stream().map(PatientDataRead.Outcome::of))
                .containsExactly(PatientDataRead.Outcome.SUCCESS, PatientDataRead.Outcome.SUCCESS,
                        PatientDataRead.Outcome.REFUSED, PatientDataRead.Outcome.REFUSED,
                        PatientDataRead.Outcome.NOT_FOUND, PatientDataRead.Outcome.NOT_FOUND,
                        PatientDataRead.Outcome.INVALID, PatientDataRead.Outcome.INVALID,
                        PatientDataRead.Outcome.FAILED, PatientDataRead.Outcome.FAILED);
    }

    @Test
    void whateverTheCallerSendsTheDetailStaysBounded() {
        List<String> ids = java.util.stream.IntStream.range(0, 500).mapToObj(i -> "Observation/o" + i).toList();
        List<String> query = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "p" + i + "=" + "x".repeat(5000))
                .toList();
        PatientDataRead read = PatientDataRead.of("GET", "/fhir/Observation/" + "y".repeat(10_000), "search-type",
                "Observation", ids, 500, List.of("b", "a", "b"), query, "c".repeat(1000), List.of("clinician"), 200);
        assertThat(read.ids()).hasSize(PatientDataRead.MAX_IDS).startsWith("Observation/o0");
        assertThat(read.returned()).isEqualTo(500);
        assertThat(read.query()).hasSize(PatientDataRead.MAX_QUERY_PARAMETERS + 1)
                .last().isEqualTo("… 70 more parameters");
        assertThat(read.query()).allSatisfy(q -> assertThat(q.length()).isLessThanOrEqualTo(PatientDataRead.MAX_TEXT));
        assertThat(read.request()).hasSize(PatientDataRead.MAX_TEXT).endsWith("…");
        assertThat(read.client()).hasSize(PatientDataRead.MAX_TEXT);
        assertThat(read.patients()).containsExactly("a", "b");
        assertThat(EntryCodec.canonicalDetail(read.toDetail()).length()).isLessThan(16_000);
    }

    @Test
    void anUnknownVersionOrAMisshapenDetailIsRefusedByName() {
        Map<String, Object> r = EntryCodec.parseDetail(golden("patient-data-read-search.json"));
        r.put("recordVersion", 2);
        assertThatThrownBy(() -> PatientDataRead.fromDetail(r)).hasMessage("Expected PATIENT_DATA_READ of record"
                + " version 1, found version 2; this build does not know how to read it.");
        Map<String, Object> bad = EntryCodec.parseDetail(golden("patient-data-read-search.json"));
        bad.put("outcome", "MAYBE");
        assertThatThrownBy(() -> PatientDataRead.fromDetail(bad)).hasMessageStartingWith(
                "Expected PATIENT_DATA_READ.outcome to be one of [").hasMessageEndingWith("found \"MAYBE\".");
        Map<String, Object> s = EntryCodec.parseDetail(golden("sign-in-failed-service.json"));
        s.remove("count");
        assertThatThrownBy(() -> SignInFailures.fromDetail(s)).hasMessageStartingWith(
                "Expected SIGN_IN_FAILED.count to be a whole number, found no such key");
        assertThatThrownBy(() -> PatientDataRead.fromEntry(entry(AuditEventType.SIGN_IN, null,
                golden("patient-data-read-search.json")))).hasMessageStartingWith("Expected a PATIENT_DATA_READ entry");
    }
}
