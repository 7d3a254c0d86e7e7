package org.clinloop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.logging.Logger;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;
import org.clinloop.client.Credentials;
import org.clinloop.client.FhirJson;

/**
 * Loads the demo clinic and streams simulated wearable readings, so that proposals reach every
 * tier: Jones earns autonomy (three approvals) and then gets an automatic step, Lee (approval
 * only) fills Dr Rivera's queue, Garcia's conservative floor blocks an increase, Chen has a
 * confirmed hypertensive crisis. Seeded, so
 * every run tells the same story. Prints "demo ready" once the first pass is through.
 */
public final class DemoSimulator {

    private static final Logger LOG = Logger.getLogger(DemoSimulator.class.getName());

    /** One demo patient: who, whose panel, and how their blood pressure runs. */
    record Profile(String id, String family, String given, String gender, String birthDate, String clinician,
                   String practitioner, int doseStep, double systolic, double diastolic, double lastSystolic,
                   double lastDiastolic) {
    }

    static final List<Profile> PATIENTS = List.of(
            new Profile(Clinic.JONES_ID, "Jones", "Pat", "female", "1961-04-02", Clinic.RIVERA, "dr-rivera", 0,
                    152, 95, 150, 94),
            new Profile(Clinic.LEE_ID, "Lee", "Sam", "male", "1958-09-17", Clinic.RIVERA, "dr-rivera", 2,
                    149, 93, 151, 92),
            new Profile("demo-garcia", "Garcia", "Maria", "female", "1949-01-23", Clinic.OKAFOR, "dr-okafor", 2,
                    146, 90, 139, 86),
            new Profile("demo-chen", "Chen", "Wei", "male", "1970-06-30", Clinic.OKAFOR, "dr-okafor", 1,
                    158, 98, 186, 118));

    private DemoSimulator() {
    }

    public static void main(String[] args) throws InterruptedException {
        String service = System.getenv().getOrDefault("CLINLOOP_URL", "http://localhost:9080");
        String keycloak = System.getenv().getOrDefault("KEYCLOAK_URL", "http://localhost:8180");
        Duration every = Duration.ofSeconds(Long.parseLong(System.getenv().getOrDefault("CLINLOOP_DEMO_INTERVAL_S", "30")));
        Clinic clinic = Clinic.signingInLikeABrowser(service, keycloak, Credentials.fromEnvironment());
        try {
            String model = clinic.ensureActiveModel();
            say("model " + model + " is ACTIVE (signed off by the model steward)");
            setUp(clinic);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
            Random rng = new Random(20261123L);
            int approvedForJones = 0;
            for (int day = 5; day >= 1; day--) {
                for (Profile p : PATIENTS) {
                    post(clinic, p, now.minus(Duration.ofDays(day)).minus(Duration.ofHours(2)),
                            p.systolic() + 4 * rng.nextGaussian(), p.diastolic() + 3 * rng.nextGaussian());
                }
                if (approvedForJones < 3) {
                    // Dr Rivera agrees with Jones's first proposals: autonomy is earned, not granted.
                    approvedForJones += clinic.approveOpenTasks(Clinic.JONES_ID, Clinic.RIVERA);
                    if (approvedForJones >= 3) {
                        say("Jones: three proposals approved as made; automatic steps inside her bounds are now allowed");
                    }
                }
            }
            for (Profile p : PATIENTS) {
                if (p.lastSystolic() >= 180) {
                    // A crisis is confirmed by a second reading a few minutes later.
                    post(clinic, p, now.minus(Duration.ofMinutes(12)), p.lastSystolic() - 2, p.lastDiastolic() - 3);
                }
                post(clinic, p, now.minus(Duration.ofMinutes(5)), p.lastSystolic(), p.lastDiastolic());
            }
            approveFirstTask(clinic);
            summary(clinic);
            say("demo ready");
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(every.toMillis());
                for (Profile p : PATIENTS) {
                    // The dose acts: each step above the starting dose lowers pressure (7/4 mm[Hg] a step).
                    int stepsAdded = doseStep(clinic, p) - p.doseStep();
                    post(clinic, p, Instant.now(), p.systolic() - 7 * stepsAdded + 5 * rng.nextGaussian(),
                            p.diastolic() - 4 * stepsAdded + 3 * rng.nextGaussian());
                }
            }
        } catch (RuntimeException e) {
            say("demo failed: " + e.getMessage());
            throw e;
        }
    }

    static void setUp(Clinic clinic) {
        for (Profile p : PATIENTS) {
            clinic.registerPatient(p.id(), p.family(), p.given(), p.gender(), p.birthDate(), p.practitioner());
            clinic.setRegimen(p.id(), p.clinician(), p.doseStep());
        }
        clinic.signBounds(Clinic.JONES_ID, Clinic.RIVERA, FhirJson.bounds(0, 4, 1, 100, 0.6, true, 3, 2));
        clinic.signBounds("demo-garcia", Clinic.OKAFOR, FhirJson.bounds(0, 3, 1, 140, 0.6, true, 3, 2));
        clinic.signBounds("demo-chen", Clinic.OKAFOR, FhirJson.bounds(0, 3, 1, 100, 0.6, true, 3, 2));
        say("registered 4 patients; Dr Rivera signed bounds for Jones (Lee stays approval-only), "
                + "Dr Okafor for Garcia (floor 140) and Chen");
    }

    static void post(Clinic clinic, Profile p, Instant at, double systolic, double diastolic) {
        long s = Math.round(systolic);
        long d = Math.round(diastolic);
        // Wearable readings come from the gateway, whose token may only create Observations.
        ClinLoopClient.Reply r = clinic.postReading(p.id(), at, s, d, clinic.gateway());
        Clinic.expect(r, 201);
        say(String.format(Locale.ROOT, "%-12s %s  %d/%d mm[Hg]  -> Observation/%s", p.id(), at, s, d,
                r.json().get("id").asText()));
    }

    static int doseStep(Clinic clinic, Profile p) {
        return Clinic.expect(clinic.api().get("/api/patients/" + p.id() + "/regimen", clinic.clinician(p.clinician())), 200)
                .json().get("doseStep").asInt();
    }

    static void approveFirstTask(Clinic clinic) {
        JsonNode tasks = Clinic.expect(clinic.api().get("/api/tasks?status=REQUESTED", clinic.clinician(Clinic.RIVERA)), 200)
                .json();
        for (JsonNode t : tasks) {
            if (Clinic.LEE_ID.equals(t.get("patientId").asText())) {
                Clinic.expect(clinic.api().post("/api/tasks/" + t.get("id").asText() + "/approve",
                        clinic.clinician(Clinic.RIVERA), ClinLoopClient.JSON_TYPE, "{\"note\":\"Agree, demo approval\"}"), 200);
                say("Dr Rivera approved " + t.get("proposedDose").asText() + " for Lee");
                return;
            }
        }
    }

    static void summary(Clinic clinic) {
        for (Profile p : PATIENTS) {
            String token = clinic.clinician(p.clinician());
            int tasks = Clinic.expect(clinic.api().get("/fhir/Task?patient=" + p.id(), token), 200).json().path("total").asInt();
            int orders = Clinic.expect(clinic.api().get("/fhir/MedicationRequest?patient=" + p.id(), token), 200).json().path("total").asInt();
            int alerts = Clinic.expect(clinic.api().get("/fhir/DetectedIssue?patient=" + p.id(), token), 200).json().path("total").asInt();
            say(String.format(Locale.ROOT, "%-12s tasks %d, delivered adjustments %d, alerts %d", p.id(), tasks, orders, alerts));
        }
        JsonNode verify = Clinic.expect(clinic.api().get("/api/audit/verify", clinic.compliance()), 200).json();
        say("audit chain: " + (verify.get("intact").asBoolean() ? "intact" : "BROKEN") + ", "
                + verify.get("entriesChecked").asLong() + " entries");
    }

    private static void say(String line) {
        System.out.println("[demo] " + line);
        System.out.flush();
        LOG.fine(line);
    }
}
