package org.clinloop.ingest;

import ca.uhn.fhir.context.FhirContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.clinloop.fairness.PatientAttributes;
import org.clinloop.ingest.internal.FhirStore;
import org.clinloop.ingest.internal.ObservationRow;
import org.clinloop.recommendation.PatientGroups;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

/**
 * Group attributes for the fairness audit, from the stored FHIR Patient (gender, birth date, the
 * US Core race and ethnicity extensions) and the device named on the patient's latest reading.
 */
@ApplicationScoped
public class PatientDemographics implements PatientAttributes, PatientGroups {

    public static final String US_CORE_RACE = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
    public static final String US_CORE_ETHNICITY = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity";

    @Inject
    FhirStore store;

    private final FhirContext fhir = FhirContext.forR4Cached();

    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Profile> profile(String patientId) {
        return store.patient(patientId).map(row -> {
            Patient p = fhir.newJsonParser().parseResource(Patient.class, row.resourceJson());
            String device = null;
            List<ObservationRow> latest = store.observationsOf(patientId, 1);
            if (!latest.isEmpty()) {
                Observation o = fhir.newJsonParser().parseResource(Observation.class, latest.get(0).resourceJson());
                if (o.hasDevice()) {
                    device = o.getDevice().hasDisplay() ? o.getDevice().getDisplay() : o.getDevice().getReference();
                }
            }
            return new Profile(p.hasGender() ? p.getGender().toCode() : null,
                    p.hasBirthDate() ? p.getBirthDate().toInstant().atZone(ZoneOffset.UTC).toLocalDate() : null,
                    usCore(p, US_CORE_RACE), usCore(p, US_CORE_ETHNICITY), device);
        });
    }

    /** The OMB category's display (or code) of a US Core race/ethnicity extension, else its text. */
    static String usCore(Patient p, String url) {
        Extension ext = p.getExtensionByUrl(url);
        if (ext == null) {
            return null;
        }
        for (Extension omb : ext.getExtensionsByUrl("ombCategory")) {
            if (omb.getValue() instanceof Coding c) {
                return c.hasDisplay() ? c.getDisplay() : c.getCode();
            }
        }
        Extension text = ext.getExtensionByUrl("text");
        return text != null && text.getValue() instanceof StringType s ? s.getValue() : null;
    }

    /** The fairness attributes as groups (age band as of today), for per-group model reports. */
    @Override
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, String> groupsOf(String patientId) {
        Map<String, String> out = new LinkedHashMap<>();
        profile(patientId).ifPresent(p -> {
            putIfKnown(out, "sex", p.sex());
            putIfKnown(out, "age_band", p.ageBand(LocalDate.now(ZoneOffset.UTC)));
            putIfKnown(out, "race", p.race());
            putIfKnown(out, "ethnicity", p.ethnicity());
            putIfKnown(out, "device_type", p.deviceType());
        });
        return out;
    }

    private static void putIfKnown(Map<String, String> out, String attribute, String group) {
        if (group != null) {
            out.put(attribute, group);
        }
    }
}
