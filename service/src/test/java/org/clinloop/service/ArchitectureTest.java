package org.clinloop.service;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import jakarta.annotation.security.DenyAll;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The module boundaries and the deny-by-default rule, checked on the compiled code of every module. */
class ArchitectureTest {

    static JavaClasses clinloop;

    @BeforeAll
    static void importClasses() {
        clinloop = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.clinloop");
    }

    @Test
    void modulesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("audit-log").definedBy("org.clinloop.audit..")
                .layer("recommendation-engine").definedBy("org.clinloop.recommendation..")
                .layer("approval-workflow").definedBy("org.clinloop.approval..")
                .layer("fhir-ingest").definedBy("org.clinloop.ingest..")
                .layer("fairness-audit").definedBy("org.clinloop.fairness..")
                .layer("clinician-portal").definedBy("org.clinloop.portal..")
                .layer("cds-hooks").definedBy("org.clinloop.cds..")
                .layer("service").definedBy("org.clinloop.service..")
                .whereLayer("service").mayNotBeAccessedByAnyLayer()
                .whereLayer("clinician-portal").mayOnlyBeAccessedByLayers("service")
                .whereLayer("cds-hooks").mayOnlyBeAccessedByLayers("service")
                .whereLayer("fairness-audit").mayOnlyBeAccessedByLayers("fhir-ingest", "service")
                .whereLayer("fhir-ingest").mayOnlyBeAccessedByLayers("cds-hooks", "service")
                .whereLayer("approval-workflow").mayOnlyBeAccessedByLayers("fhir-ingest", "fairness-audit", "cds-hooks",
                        "service")
                .whereLayer("recommendation-engine")
                .mayOnlyBeAccessedByLayers("approval-workflow", "fhir-ingest", "fairness-audit", "cds-hooks", "service")
                .check(clinloop);
    }

    @Test
    void noModuleReachesIntoAnothersInternals() {
        for (String module : List.of("audit", "recommendation", "approval", "ingest", "fairness", "portal", "cds")) {
            String root = "org.clinloop." + module;
            classes().that().resideInAPackage(root + ".internal..")
                    .should().onlyBeAccessed().byAnyPackage(root + "..")
                    .allowEmptyShould(true)
                    .check(clinloop);
        }
    }

    /**
     * Issue 13, item 5: an audit detail that is read back is read through the typed record of its
     * kind ({@code ProposalRecorded}, {@code TierRecorded}, {@code ReadingRecorded}), never as a map
     * by string key. Two exceptions, neither across modules: the FHIR AuditEvent view copies the
     * detail verbatim, and DriftMonitor reads back the MODEL_DRIFT_ALERT it wrote itself.
     */
    @Test
    void auditDetailsAreReadBackOnlyThroughTheirRecords() {
        noClasses().that().resideOutsideOfPackage("org.clinloop.audit..")
                .and().haveSimpleNameNotEndingWith("Recorded")
                .and().doNotHaveFullyQualifiedName("org.clinloop.ingest.fhir.AuditResourceProviders")
                .and().doNotHaveFullyQualifiedName("org.clinloop.recommendation.DriftMonitor")
                .should().callMethod(org.clinloop.audit.AuditEntry.class, "detailJson")
                .because("a detail read back by string key is invisible to the compiler; parse it with the record"
                        + " that owns its kind")
                .check(clinloop);
    }

    @Test
    void everyRestMethodNamesWhoMayCallIt() {
        methods().that().areDeclaredInClassesThat().areAnnotatedWith(Path.class)
                .and().areAnnotatedWith(GET.class).or().areAnnotatedWith(POST.class).or().areAnnotatedWith(PUT.class)
                .or().areAnnotatedWith(DELETE.class).or().areAnnotatedWith(PATCH.class)
                .should().beAnnotatedWith(RolesAllowed.class).orShould().beAnnotatedWith(PermitAll.class)
                .orShould().beAnnotatedWith(DenyAll.class)
                .because("deny by default: a resource method without a role would be open to every signed-in user")
                .check(clinloop);
    }

    /**
     * Issue 14, item 4: the REST edge names the patients of what a read returned through
     * {@link org.clinloop.audit.PatientData}. A value type returned by a recorded {@code GET} (or the
     * element type of a returned list) that carries a {@code patientId} but does not say it is
     * patient data would leave its patients out of the read's audit entry.
     */
    @Test
    void everyValueAboutAPatientThatARestReadReturnsSaysSo() {
        List<String> silent = new java.util.ArrayList<>();
        for (com.tngtech.archunit.core.domain.JavaClass resource : clinloop) {
            if (!resource.isAnnotatedWith(Path.class)
                    || resource.isAnnotatedWith(org.clinloop.audit.web.NoPatientData.class)) {
                continue;
            }
            for (com.tngtech.archunit.core.domain.JavaMethod m : resource.getMethods()) {
                if (!m.isAnnotatedWith(GET.class) || m.isAnnotatedWith(org.clinloop.audit.web.NoPatientData.class)) {
                    continue;
                }
                List<com.tngtech.archunit.core.domain.JavaClass> returned = new java.util.ArrayList<>();
                returned.add(m.getRawReturnType());
                if (m.getReturnType() instanceof com.tngtech.archunit.core.domain.JavaParameterizedType p) {
                    p.getActualTypeArguments().forEach(t -> returned.add(t.toErasure()));
                }
                for (com.tngtech.archunit.core.domain.JavaClass value : returned) {
                    boolean aboutAPatient = value.getAllMethods().stream().anyMatch(x -> x.getName().equals("patientId")
                            && x.getRawParameterTypes().isEmpty());
                    if (aboutAPatient && !value.isAssignableTo(org.clinloop.audit.PatientData.class)) {
                        silent.add(resource.getSimpleName() + "." + m.getName() + " returns " + value.getName());
                    }
                }
            }
        }
        org.assertj.core.api.Assertions.assertThat(silent)
                .as("values about a patient returned by recorded REST reads that do not implement PatientData")
                .isEmpty();
    }

    @Test
    void restResourcesLiveAtTheEdges() {
        classes().that().areAnnotatedWith(Path.class).should().resideInAPackage("..web..")
                .check(clinloop);
    }

    @Test
    void everyEntityIsListedInThePersistenceUnit() throws Exception {
        String unit = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/resources/META-INF/persistence.xml"));
        List<String> missing = clinloop.stream()
                .filter(c -> c.isAnnotatedWith(jakarta.persistence.Entity.class))
                .map(c -> c.getName())
                .filter(name -> !unit.contains("<class>" + name + "</class>"))
                .toList();
        org.assertj.core.api.Assertions.assertThat(missing).as("entities missing from persistence.xml").isEmpty();
    }

    @Test
    void noConsoleOutputInServiceCode() {
        noClasses().that().haveSimpleNameNotEndingWith("Cli")
                .should().accessField(System.class, "out").orShould().accessField(System.class, "err")
                .because("use a logger (command-line tools, *Cli, print their results)").check(clinloop);
    }
}
