package org.clinloop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The people and systems around one ClinLoop instance, each with their own token: the EHR, the
 * model steward, clinicians, patients and the compliance officer. The demo and the end-to-end
 * tests act through this, over the public API only.
 */
public final class Clinic {

    public static final String RIVERA = "dr.rivera";
    public static final String OKAFOR = "dr.okafor";
    public static final String JONES = "pat.jones";
    public static final String LEE = "sam.lee";
    public static final String COMPLIANCE = "compliance";
    public static final String STEWARD = "steward";
    /** Patient ids linked to the realm's patient users. */
    public static final String JONES_ID = "demo-jones";
    public static final String LEE_ID = "demo-lee";

    private record Cached(String token, Instant at) {
    }

    private final ClinLoopClient api;
    private final KeycloakTokens tokens;
    private final Credentials credentials;
    private final UserSignIn signIn;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param signIn how people get their tokens; systems (the EHR) use client credentials whatever it is
     */
    public Clinic(String serviceUrl, String keycloakUrl, Credentials credentials, UserSignIn signIn) {
        this.api = new ClinLoopClient(serviceUrl);
        this.tokens = new KeycloakTokens(keycloakUrl);
        this.credentials = credentials;
        this.signIn = signIn;
    }

    /** People sign in as a browser does (authorization code with PKCE on the portal's client): any realm. */
    public static Clinic signingInLikeABrowser(String serviceUrl, String keycloakUrl, Credentials credentials) {
        return new Clinic(serviceUrl, keycloakUrl, credentials, BrowserSignIn.portal(keycloakUrl, serviceUrl));
    }

    /** People sign in with the password grant on the devtools client, which only the test realm has. */
    public static Clinic withPasswordGrant(String serviceUrl, String keycloakUrl, Credentials credentials) {
        return new Clinic(serviceUrl, keycloakUrl, credentials, new KeycloakTokens(keycloakUrl)::password);
    }

    public ClinLoopClient api() {
        return api;
    }

    /** The EHR's token (private_key_jwt), with every system scope the realm lets it ask for. */
    public String ehr() {
        return cached("ehr", () -> tokens.systemToken(credentials.ehrKey(), KeycloakTokens.EHR_SCOPES));
    }

    /** The wearable gateway's token (private_key_jwt): it may only send observations. */
    public String gateway() {
        return cached("gateway", () -> tokens.systemToken(credentials.gatewayKey(), KeycloakTokens.GATEWAY_SCOPES));
    }

    public String steward() {
        return person(STEWARD);
    }

    public String compliance() {
        return person(COMPLIANCE);
    }

    public String clinician(String username) {
        return person(username);
    }

    public String patient(String username) {
        return person(username);
    }

    private String person(String username) {
        return cached(username, () -> signIn.token(username, credentials.password(username)));
    }

    /** Activates the newest CANDIDATE as the steward unless a model is already ACTIVE; returns the active id. */
    public String ensureActiveModel() {
        JsonNode versions = expect(api.get("/api/models", steward()), 200).json();
        String candidate = null;
        for (JsonNode v : versions) {
            if ("ACTIVE".equals(v.get("status").asText())) {
                return v.get("id").asText();
            }
            if (candidate == null && "CANDIDATE".equals(v.get("status").asText())) {
                candidate = v.get("id").asText();
            }
        }
        if (candidate == null) {
            throw new IllegalStateException("No model version to activate: " + versions);
        }
        expect(api.post("/api/models/" + candidate + "/activate", steward(), ClinLoopClient.JSON_TYPE, "{}"), 200);
        return candidate;
    }

    public void registerPatient(String id, String family, String given, String gender, String birthDate,
                                String practitionerId) {
        expect(api.put("/fhir/Patient/" + id, ehr(), ClinLoopClient.FHIR_JSON,
                FhirJson.patient(id, family, given, gender, birthDate, practitionerId).toString()), 200, 201);
    }

    public void setRegimen(String patientId, String clinician, int doseStep) {
        expect(api.put("/api/patients/" + patientId + "/regimen", clinician(clinician), ClinLoopClient.JSON_TYPE,
                FhirJson.regimen(doseStep).toString()), 200);
    }

    /** Signs a bounds version and activates it (two acts of the clinician, both audited). */
    public JsonNode signBounds(String patientId, String clinician, ObjectNode bounds) {
        JsonNode signed = expect(api.post("/api/patients/" + patientId + "/bounds", clinician(clinician),
                ClinLoopClient.JSON_TYPE, bounds.toString()), 201).json();
        return expect(api.post("/api/patients/" + patientId + "/bounds/" + signed.get("version").asInt() + "/activate",
                clinician(clinician), ClinLoopClient.JSON_TYPE, ""), 200).json();
    }

    /** Approves every open task of a patient as proposed (as the given clinician); returns how many. */
    public int approveOpenTasks(String patientId, String clinician) {
        int n = 0;
        for (JsonNode t : expect(api.get("/api/tasks?status=REQUESTED", clinician(clinician)), 200).json()) {
            if (patientId.equals(t.get("patientId").asText())) {
                expect(api.post("/api/tasks/" + t.get("id").asText() + "/approve", clinician(clinician),
                        ClinLoopClient.JSON_TYPE, "{\"note\":\"agree\"}"), 200);
                n++;
            }
        }
        return n;
    }

    /**
     * Posts a reading as the EHR/gateway and, once it is accepted, waits for the decision it
     * queued (see {@link #awaitDecisions}); returns the reply (201 when accepted).
     */
    public ClinLoopClient.Reply postReading(String patientId, Instant effective, double systolic, double diastolic) {
        return postReading(patientId, effective, systolic, diastolic, ehr());
    }

    /** The same, sent with another system's token (the wearable gateway's, say). */
    public ClinLoopClient.Reply postReading(String patientId, Instant effective, double systolic, double diastolic,
                                            String systemToken) {
        ClinLoopClient.Reply reply = api.post("/fhir/Observation", systemToken, ClinLoopClient.FHIR_JSON,
                FhirJson.bloodPressure(patientId, effective, systolic, diastolic).toString());
        if (reply.status() == 201) {
            awaitDecisions(patientId);
        }
        return reply;
    }

    /**
     * Waits until the patient has no reading waiting for a decision that is due now: decided, or
     * deferred by the quiet period (then {@code dueAt} lies ahead). Decisions are made after the
     * reading's 201, by the service's decision workers; a patient without a regimen has none.
     */
    public void awaitDecisions(String patientId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            ClinLoopClient.Reply r = api.get("/api/patients/" + patientId + "/decisions", compliance());
            if (r.status() == 404) {
                return;
            }
            JsonNode status = expect(r, 200).json();
            boolean pending = status.path("pendingReadings").asInt() > 0;
            JsonNode due = status.get("dueAt");
            boolean deferred = due != null && !due.isNull() && Instant.parse(due.asText()).isAfter(Instant.now());
            if (!pending || deferred) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("Expected patient " + patientId + "'s readings decided within 60 s, found "
                        + status);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    public static ClinLoopClient.Reply expect(ClinLoopClient.Reply reply, int... statuses) {
        for (int s : statuses) {
            if (reply.status() == s) {
                return reply;
            }
        }
        throw new IllegalStateException("Expected HTTP " + java.util.Arrays.toString(statuses) + ", found " + reply);
    }

    private String cached(String key, java.util.function.Supplier<String> fetch) {
        Cached c = cache.get(key);
        if (c == null || c.at().isBefore(Instant.now().minus(Duration.ofMinutes(10)))) {
            c = new Cached(fetch.get(), Instant.now());
            cache.put(key, c);
        }
        return c.token();
    }
}
