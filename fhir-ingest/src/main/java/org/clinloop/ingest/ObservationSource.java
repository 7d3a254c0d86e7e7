package org.clinloop.ingest;

import java.util.Arrays;
import java.util.Optional;
import org.clinloop.approval.CareTeam;
import org.clinloop.approval.Roles;
import org.clinloop.audit.Actor;

/**
 * Who asserted an Observation, as ClinLoop established it from the sender's verified token (never
 * from the resource itself). Stored with every observation ({@code observation.source}), tagged on
 * the stored resource ({@link #TAG_SYSTEM}) and recorded in {@code OBSERVATION_ACCEPTED}.
 *
 * <p>Only a {@linkplain #trusted() trusted} source can establish <em>or clear</em> a
 * contraindication; the others may add one but never clear one (see {@link Contraindications}).
 * Which source may assert which kind at all is {@link ObservationKind#assertableBy}.
 */
public enum ObservationSource {

    /** An EHR or laboratory system (role {@code ehr-system}). */
    EHR_SYSTEM("ehr-system", "EHR system", true),
    /**
     * A wearable or home-device gateway (roles {@code ehr-system} and {@code device-gateway}): device
     * measurements only, and never trusted to clear a contraindication.
     */
    DEVICE_GATEWAY("device-gateway", "wearable gateway", false),
    /** A clinician acting for a patient on their panel. */
    CLINICIAN("clinician", "clinician", true),
    /** The patient themself (their app): patient-entered, self-reported. */
    PATIENT("patient", "patient-entered", false),
    /** One of ClinLoop's own components (role {@code system}), e.g. an import run inside the service. */
    SYSTEM("system", "ClinLoop component", false),
    /**
     * Stored before sources were recorded (migration ingest V4): the sender cannot be shown to be
     * an EHR system or clinician, so the value is treated like a patient's.
     */
    UNKNOWN("unknown", "source not recorded", false);

    /** Code system of the {@code meta.tag} ClinLoop puts on every stored Observation. */
    public static final String TAG_SYSTEM = "https://clinloop.org/fhir/CodeSystem/observation-source";

    private final String code;
    private final String display;
    private final boolean trusted;

    ObservationSource(String code, String display, boolean trusted) {
        this.code = code;
        this.display = display;
        this.trusted = trusted;
    }

    /** As stored in {@code observation.source} and in the tag, e.g. {@code ehr-system}. */
    public String code() {
        return code;
    }

    /** For people reading the tag, e.g. {@code patient-entered}. */
    public String display() {
        return display;
    }

    /** Whether a value from this source can clear a contraindication (not only add one). */
    public boolean trusted() {
        return trusted;
    }

    /** The source stored under {@code code}; an unknown code is refused by name (a schema this build does not know). */
    public static ObservationSource byCode(String code) {
        return Arrays.stream(values()).filter(s -> s.code.equals(code)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("Expected an observation source "
                        + Arrays.stream(values()).map(ObservationSource::code).toList() + ", found " + code));
    }

    /**
     * In which capacity {@code actor} sends an observation about {@code patientId}; empty when
     * they may not send one at all. A person writing about themself is the patient, whatever other
     * roles they hold (a clinician's own reading is patient-entered); otherwise the EHR system, a
     * clinician of the patient's panel, or ClinLoop's own component, in that order; a device gateway is
     * a gateway, never the EHR, whatever else its token says.
     */
    public static Optional<ObservationSource> of(Actor actor, String patientId, CareTeam careTeam) {
        if (actor.hasRole(Roles.PATIENT) && patientId != null && patientId.equals(actor.patientId())) {
            return Optional.of(PATIENT);
        }
        if (actor.hasRole(Roles.DEVICE_GATEWAY)) {
            return Optional.of(DEVICE_GATEWAY); // before EHR_SYSTEM: a gateway signs in as a system too
        }
        if (actor.hasRole(Roles.EHR_SYSTEM)) {
            return Optional.of(EHR_SYSTEM);
        }
        if (actor.hasRole(Roles.CLINICIAN) && patientId != null && careTeam.isOnPanel(actor.practitionerId(), patientId)) {
            return Optional.of(CLINICIAN);
        }
        if (actor.hasRole(Actor.SYSTEM_ROLE)) {
            return Optional.of(SYSTEM);
        }
        return Optional.empty();
    }
}
