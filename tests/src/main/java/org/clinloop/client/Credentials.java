package org.clinloop.client;

import java.util.Objects;

/**
 * The generated demo/test secrets, read from the environment that {@code ./clinloop} sets up.
 *
 * @param clinician  password of dr.rivera and dr.okafor
 * @param patient    password of pat.jones and sam.lee
 * @param compliance password of compliance
 * @param steward    password of steward
 * @param ehrSecret  client secret of clinloop-ehr
 */
public record Credentials(String clinician, String patient, String compliance, String steward, String ehrSecret) {

    public static Credentials fromEnvironment() {
        return new Credentials(env("CLINLOOP_CLINICIAN_PASSWORD"), env("CLINLOOP_PATIENT_PASSWORD"),
                env("CLINLOOP_COMPLIANCE_PASSWORD"), env("CLINLOOP_STEWARD_PASSWORD"),
                env("CLINLOOP_EHR_CLIENT_SECRET"));
    }

    private static String env(String name) {
        return Objects.requireNonNull(System.getenv(name), name
                + " is not set: run through ./clinloop (it generates the demo and test secrets)");
    }
}
