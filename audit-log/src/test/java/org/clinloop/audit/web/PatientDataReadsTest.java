package org.clinloop.audit.web;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.clinloop.audit.PatientData;
import org.junit.jupiter.api.Test;

/** What the REST edge names in a read's entry: the route, the values returned and their patients. */
class PatientDataReadsTest {

    @Path("/patients/{patient}/")
    static class Plans {
        @GET
        @Path("adjustments")
        public List<Object> adjustments() {
            return List.of();
        }

        @GET
        public Object plan() {
            return null;
        }
    }

    record Adjustment(String id, String patientId) implements PatientData {
    }

    @Test
    void theRouteIsTheTemplateOfClassAndMethod() throws Exception {
        assertThat(PatientDataReads.route(Plans.class, Plans.class.getMethod("adjustments")))
                .isEqualTo("patients/{patient}/adjustments");
        assertThat(PatientDataReads.route(Plans.class, Plans.class.getMethod("plan"))).isEqualTo("patients/{patient}");
    }

    @Test
    void everyPatientOfTheValuesReturnedIsNamedAndTheValuesCounted() {
        Set<String> patients = new TreeSet<>();
        assertThat(PatientDataReads.Recorder.count(List.of(new Adjustment("a1", "demo-lee"),
                new Adjustment("a2", "demo-jones"), new Adjustment("a3", "demo-lee"), new Adjustment("a4", null)),
                patients)).isEqualTo(4);
        assertThat(patients).containsExactly("demo-jones", "demo-lee");
        Set<String> none = new TreeSet<>();
        assertThat(PatientDataReads.Recorder.count(Map.of("intervalDays", 30), none)).isEqualTo(1);
        assertThat(PatientDataReads.Recorder.count(null, none)).isZero();
        assertThat(none).isEmpty();
    }
}
