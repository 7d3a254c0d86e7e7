package org.clinloop.ingest.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.clinloop.audit.AuditEntry;
import org.clinloop.audit.EntryCodec;
import org.clinloop.audit.PatientDataRead;
import org.clinloop.audit.SignInFailures;
import org.hl7.fhir.r4.model.AuditEvent;
import org.junit.jupiter.api.Test;

/** Reads and failed sign-ins as FHIR AuditEvents in the manner of IHE BALP. */
class AuditEventViewTest {

    static AuditEntry entry(long seq, PatientDataRead read) {
        return new AuditEntry(seq, 1, Instant.parse("2026-12-07T10:00:00Z"), PatientDataRead.TYPE, "dr.rivera",
                read.patient(), EntryCodec.canonicalDetail(read.toDetail()), EntryCodec.GENESIS_HASH, "h");
    }

    @Test
    void aSearchIsAQueryNamingEachPatientTheQueryAndTheClient() {
        PatientDataRead search = PatientDataRead.of("GET", "/fhir/Patient", "search-type", "Patient",
                List.of("Patient/a", "Patient/b"), 2, List.of("b", "a"), List.of("name=e"), "clinloop-portal",
                List.of("clinician"), 200);
        AuditEvent ae = AuditResourceProviders.auditEvent(entry(12, search));
        assertThat(ae.getType().getCode()).isEqualTo("rest");
        assertThat(ae.getSubtypeFirstRep().getCode()).isEqualTo("search-type");
        assertThat(ae.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(ae.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(ae.getAgent()).extracting(a -> a.getWho().getDisplay()).containsExactly("dr.rivera",
                "clinloop-portal");
        assertThat(ae.getAgentFirstRep().getRoleFirstRep().getCodingFirstRep().getCode()).isEqualTo("clinician");
        assertThat(ae.getEntity()).filteredOn(e -> "1".equals(e.getRole().getCode()))
                .extracting(e -> e.getWhat().getReference()).containsExactly("Patient/a", "Patient/b");
        AuditEvent.AuditEventEntityComponent query = ae.getEntity().stream()
                .filter(e -> "24".equals(e.getRole().getCode())).findFirst().orElseThrow();
        assertThat(new String(query.getQuery(), StandardCharsets.UTF_8)).isEqualTo("name=e");
        assertThat(query.getDescription()).isEqualTo("GET /fhir/Patient?name=e");
    }

    @Test
    void aRefusedReadIsAMinorFailureOfAReadNamingWhatWasAsked() {
        PatientDataRead refused = PatientDataRead.of("GET", "/fhir/Observation/o1", "read", "Observation",
                List.of("Observation/o1"), 0, List.of(), List.of(), null, List.of("patient"), 403);
        AuditEvent ae = AuditResourceProviders.auditEvent(entry(13, refused));
        assertThat(ae.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(ae.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(ae.getOutcomeDesc()).isEqualTo("403 REFUSED");
        assertThat(ae.getAgent()).hasSize(1);
        assertThat(ae.getEntity()).filteredOn(e -> "4".equals(e.getRole().getCode()))
                .extracting(e -> e.getWhat().getReference()).containsExactly("Observation/o1");
        PatientDataRead failed = PatientDataRead.of("GET", "/fhir/Observation/o1", "read", "Observation",
                List.of("Observation/o1"), 0, List.of(), List.of(), null, List.of("patient"), 500);
        assertThat(AuditResourceProviders.auditEvent(entry(14, failed)).getOutcome())
                .isEqualTo(AuditEvent.AuditEventOutcome._8);
    }

    @Test
    void failedSignInsAreAFailedLoginFromTheirSource() {
        SignInFailures failed = new SignInFailures(SignInFailures.RefusedBy.KEYCLOAK, "invalid_user_credentials",
                "10.0.0.8", "clinloop-portal", "pat.jones", null, 3, Instant.parse("2026-12-07T10:00:00Z"),
                Instant.parse("2026-12-07T10:00:30Z"));
        AuditEvent ae = AuditResourceProviders.auditEvent(new AuditEntry(15, 1, Instant.parse("2026-12-07T10:01:00Z"),
                SignInFailures.TYPE, "system:keycloak-events", null, EntryCodec.canonicalDetail(failed.toDetail()),
                EntryCodec.GENESIS_HASH, "h"));
        assertThat(ae.getType().getCode()).isEqualTo("110114");
        assertThat(ae.getSubtypeFirstRep().getCode()).isEqualTo("110122");
        assertThat(ae.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        AuditEvent.AuditEventAgentComponent tried = ae.getAgent().stream().filter(
                AuditEvent.AuditEventAgentComponent::getRequestor).findFirst().orElseThrow();
        assertThat(tried.getWho().getDisplay()).isEqualTo("pat.jones");
        assertThat(tried.getNetwork().getAddress()).isEqualTo("10.0.0.8");
        assertThat(ae.getOutcomeDesc()).isEqualTo("3 × invalid_user_credentials (refused by KEYCLOAK)");
    }
}
