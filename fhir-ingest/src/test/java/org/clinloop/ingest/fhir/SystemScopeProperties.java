package org.clinloop.ingest.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.clinloop.ingest.fhir.SystemScope.Permission;
import org.clinloop.ingest.fhir.SystemScopes.Interaction;

/**
 * Properties of scope checking: a set of v2 system scopes allows exactly the interactions one of
 * them names (its type or {@code *}, one of its letters), and nothing else; adding scopes never
 * takes a permission away.
 */
class SystemScopeProperties {

    static final List<String> TYPES = List.of("Patient", "Observation", "MedicationRequest", "Device", "Task");

    @Provide
    Arbitrary<String> scope() {
        Arbitrary<String> type = Arbitraries.of(new ArrayList<>(TYPES) {{ add("*"); }});
        Arbitrary<Set<Permission>> letters = Arbitraries.subsetOf(Permission.values()).filter(s -> !s.isEmpty());
        return type.flatMap(t -> letters.map(p -> "system/" + t + "." + letters(p)));
    }

    @Provide
    Arbitrary<Interaction> interaction() {
        return Arbitraries.of(TYPES).flatMap(t -> Arbitraries.of(Permission.class).map(p -> new Interaction(t, p)));
    }

    @Property
    void allowedExactlyWhenSomeScopeNamesTheTypeAndTheLetter(@ForAll("scopeLists") List<String> granted,
                                                             @ForAll("interaction") Interaction wanted) {
        boolean expected = false;
        for (String s : granted) {
            String body = s.substring("system/".length());
            String type = body.substring(0, body.indexOf('.'));
            String letters = body.substring(body.indexOf('.') + 1);
            expected |= (type.equals("*") || type.equals(wanted.resourceType()))
                    && letters.indexOf(wanted.permission().letter()) >= 0;
        }
        assertThat(new SystemScopes(granted).allow(wanted)).isEqualTo(expected);
    }

    @Property
    void moreScopesNeverAllowLess(@ForAll("scopeLists") List<String> granted, @ForAll("scope") String more,
                                  @ForAll("interaction") Interaction wanted) {
        List<String> wider = new ArrayList<>(granted);
        wider.add(more);
        if (new SystemScopes(granted).allow(wanted)) {
            assertThat(new SystemScopes(wider).allow(wanted)).isTrue();
        }
    }

    @Property
    void theScopeARefusalNamesIsOneThatWouldAllowIt(@ForAll("interaction") Interaction wanted) {
        assertThat(new SystemScopes(List.of(wanted.scope())).allow(wanted)).isTrue();
        assertThat(new SystemScopes(List.of()).refusal(wanted)).contains(wanted.scope());
    }

    @Provide
    Arbitrary<List<String>> scopeLists() {
        return scope().list().ofMaxSize(6);
    }

    private static String letters(Set<Permission> permissions) {
        StringBuilder b = new StringBuilder();
        for (Permission p : EnumSet.copyOf(permissions)) {
            b.append(p.letter());
        }
        return b.toString();
    }
}
