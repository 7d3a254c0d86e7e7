package org.clinloop.ingest.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import java.util.EnumSet;
import java.util.List;
import org.clinloop.ingest.fhir.SystemScope.Permission;
import org.clinloop.ingest.fhir.SystemScopes.Interaction;
import org.clinloop.ingest.fhir.SystemScopes.Needs;
import org.clinloop.ingest.fhir.SystemScopes.Ungrantable;
import org.junit.jupiter.api.Test;

/** SMART system scopes: what a scope grants, what each interaction needs, and the answer to a refusal. */
class SystemScopesTest {

    @Test
    void v2ScopesGrantTheirLettersOnTheirTypeOnly() {
        SystemScope observations = SystemScope.parse("system/Observation.crs").orElseThrow();
        assertThat(observations.permissions()).containsExactlyInAnyOrder(Permission.CREATE, Permission.READ, Permission.SEARCH);
        assertThat(observations.grants("Observation", Permission.CREATE)).isTrue();
        assertThat(observations.grants("Observation", Permission.UPDATE)).isFalse();
        assertThat(observations.grants("Patient", Permission.READ)).isFalse();
        assertThat(SystemScope.parse("system/*.u").orElseThrow().grants("Patient", Permission.UPDATE)).isTrue();
    }

    @Test
    void v1ScopesReadAsTheirV2Equivalents() {
        assertThat(SystemScope.parse("system/Patient.read").orElseThrow().permissions())
                .containsExactlyInAnyOrder(Permission.READ, Permission.SEARCH);
        assertThat(SystemScope.parse("system/Patient.write").orElseThrow().permissions())
                .containsExactlyInAnyOrder(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
        assertThat(SystemScope.parse("system/Patient.*").orElseThrow().permissions())
                .containsExactlyInAnyOrderElementsOf(EnumSet.allOf(Permission.class));
    }

    @Test
    void patientUserAndMalformedScopesGrantASystemNothing() {
        for (String s : List.of("patient/Observation.rs", "user/Patient.cruds", "openid", "system/Observation.",
                "system/Observation.x", "system/Observation.sr", "system/Observation.cc", "system/observation.c",
                "system/Observation.c extra", "", "system/.c")) {
            assertThat(SystemScope.parse(s)).as(s).isEmpty();
        }
        SystemScopes scopes = new SystemScopes(List.of("patient/Observation.c", "openid", "profile"));
        assertThat(scopes.allow(new Interaction("Observation", Permission.CREATE))).isFalse();
        assertThat(scopes.systemScopes()).isEmpty();
    }

    @Test
    void eachInteractionNeedsItsPermissionOnItsType() {
        assertThat(SystemScopes.of(RestOperationTypeEnum.CREATE, "Observation"))
                .isEqualTo(new Needs(new Interaction("Observation", Permission.CREATE)));
        assertThat(SystemScopes.of(RestOperationTypeEnum.UPDATE, "Patient"))
                .isEqualTo(new Needs(new Interaction("Patient", Permission.UPDATE)));
        assertThat(SystemScopes.of(RestOperationTypeEnum.READ, "Patient"))
                .isEqualTo(new Needs(new Interaction("Patient", Permission.READ)));
        assertThat(SystemScopes.of(RestOperationTypeEnum.VREAD, "Patient"))
                .isEqualTo(new Needs(new Interaction("Patient", Permission.READ)));
        assertThat(SystemScopes.of(RestOperationTypeEnum.SEARCH_TYPE, "Observation"))
                .isEqualTo(new Needs(new Interaction("Observation", Permission.SEARCH)));
        assertThat(SystemScopes.of(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "Observation"))
                .as("$lastn searches").isEqualTo(new Needs(new Interaction("Observation", Permission.SEARCH)));
        assertThat(SystemScopes.of(RestOperationTypeEnum.DELETE, "Observation"))
                .isEqualTo(new Needs(new Interaction("Observation", Permission.DELETE)));
        assertThat(SystemScopes.of(RestOperationTypeEnum.PATCH, "Patient"))
                .isEqualTo(new Needs(new Interaction("Patient", Permission.UPDATE)));
    }

    @Test
    void whatNoScopeGrantsIsRefusedAndWhatNeedsNoneIsFree() {
        for (RestOperationTypeEnum op : List.of(RestOperationTypeEnum.VALIDATE, RestOperationTypeEnum.ADD_TAGS,
                RestOperationTypeEnum.META_ADD, RestOperationTypeEnum.EXTENDED_OPERATION_SERVER,
                RestOperationTypeEnum.SEARCH_SYSTEM, RestOperationTypeEnum.HISTORY_SYSTEM,
                RestOperationTypeEnum.GRAPHQL_REQUEST)) {
            assertThat(SystemScopes.of(op, op == RestOperationTypeEnum.VALIDATE ? "Patient" : null)).as(op.name())
                    .isInstanceOf(Ungrantable.class);
        }
        assertThat(SystemScopes.of(null, "Patient")).isInstanceOf(Ungrantable.class);
        for (RestOperationTypeEnum op : List.of(RestOperationTypeEnum.METADATA, RestOperationTypeEnum.GET_PAGE,
                RestOperationTypeEnum.TRANSACTION, RestOperationTypeEnum.BATCH)) {
            assertThat(SystemScopes.of(op, null)).as(op.name()).isInstanceOf(SystemScopes.Free.class);
        }
    }

    @Test
    void aBundleEntryNeedsWhatItsRequestWouldNeedAlone() {
        assertThat(SystemScopes.entry("POST", "Observation"))
                .isEqualTo(new Needs(new Interaction("Observation", Permission.CREATE)));
        assertThat(SystemScopes.entry("PUT", "Patient/p1"))
                .isEqualTo(new Needs(new Interaction("Patient", Permission.UPDATE)));
        assertThat(SystemScopes.entry("GET", "Patient/p1"))
                .isEqualTo(new Needs(new Interaction("Patient", Permission.READ)));
        assertThat(SystemScopes.entry("GET", "Observation?patient=p1"))
                .isEqualTo(new Needs(new Interaction("Observation", Permission.SEARCH)));
        assertThat(SystemScopes.entry("DELETE", "/Observation/o1"))
                .isEqualTo(new Needs(new Interaction("Observation", Permission.DELETE)));
        assertThat(SystemScopes.entry("POST", "Patient/p1")).isInstanceOf(Ungrantable.class);
        assertThat(SystemScopes.entry(null, "Observation")).isInstanceOf(Ungrantable.class);
        assertThat(SystemScopes.entry("POST", null)).isInstanceOf(Ungrantable.class);
        assertThat(SystemScopes.entry("POST", "$process-message")).isInstanceOf(Ungrantable.class);
    }

    @Test
    void aRefusalNamesTheScopeNeededAndTheSystemScopesGranted() {
        SystemScopes gateway = new SystemScopes(List.of("profile", "system/Observation.c"));
        Interaction update = new Interaction("Patient", Permission.UPDATE);
        assertThat(gateway.allow(update)).isFalse();
        assertThat(gateway.refusal(update)).contains("system/Patient.u").contains("to update Patient")
                .endsWith("found the system scopes granted: system/Observation.c.");
        assertThat(new SystemScopes(List.of()).refusal(update)).endsWith("found the system scopes granted: none.");
    }

    @Test
    void theScopesOfferedAreThoseTheShippedRealmDefines() throws java.io.IOException {
        String realm = java.nio.file.Files.readString(java.nio.file.Path.of("..", "deploy", "keycloak", "clinloop-realm.json"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"name\": \"(system/[^\"]+)\"").matcher(realm);
        List<String> defined = new java.util.ArrayList<>();
        while (m.find()) {
            defined.add(m.group(1));
        }
        assertThat(SystemScopes.OFFERED).containsExactlyInAnyOrderElementsOf(defined);
        SystemScopes.OFFERED.forEach(s -> assertThat(SystemScope.parse(s)).as(s).isPresent());
    }
}
