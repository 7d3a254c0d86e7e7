package org.clinloop.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/** FHIR R4 JSON as a wearable gateway or an EHR would send it. */
public final class FhirJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FhirJson() {
    }

    /** A vital-signs blood-pressure panel (LOINC 85354-9) in mm[Hg]. */
    public static ObjectNode bloodPressure(String patientId, Instant effective, double systolic, double diastolic) {
        ObjectNode obs = observation(patientId, effective, "vital-signs", "85354-9",
                "Blood pressure panel with all children optional");
        ArrayNode components = obs.putArray("component");
        component(components.addObject(), "8480-6", "Systolic blood pressure", systolic);
        component(components.addObject(), "8462-4", "Diastolic blood pressure", diastolic);
        return obs;
    }

    /** A single-valued Observation (heart rate, steps, weight, SpO2, a lab) with a UCUM quantity. */
    public static ObjectNode quantity(String patientId, Instant effective, String loinc, String category, double value,
                                      String ucum) {
        ObjectNode obs = observation(patientId, effective, category, loinc, null);
        if ("59408-5".equals(loinc)) {
            // The R4 oxygen-saturation profile requires LOINC 2708-6 beside the pulse-oximetry code.
            ((ArrayNode) obs.at("/code/coding")).addObject().put("system", "http://loinc.org").put("code", "2708-6");
        }
        obs.putObject("valueQuantity").put("value", value).put("unit", ucum).put("system", "http://unitsofmeasure.org")
                .put("code", ucum);
        return obs;
    }

    /** US Core pregnancy status (LOINC 82810-3), SNOMED CT 77386006 pregnant or 60001007 not pregnant. */
    public static ObjectNode pregnancyStatus(String patientId, Instant effective, boolean pregnant) {
        ObjectNode obs = observation(patientId, effective, "social-history", "82810-3", "Pregnancy status");
        obs.putObject("valueCodeableConcept").putArray("coding").addObject().put("system", "http://snomed.info/sct")
                .put("code", pregnant ? "77386006" : "60001007");
        return obs;
    }

    /** A symptom the patient reports (LOINC 75325-1), e.g. SNOMED 404640003 dizziness. */
    public static ObjectNode symptom(String patientId, Instant effective, String snomed, String display) {
        ObjectNode obs = observation(patientId, effective, "survey", "75325-1", "Symptom");
        obs.putObject("valueCodeableConcept").putArray("coding").addObject().put("system", "http://snomed.info/sct")
                .put("code", snomed).put("display", display);
        return obs;
    }

    /** A final Observation of one LOINC code, category, subject and time; the caller adds its value. */
    private static ObjectNode observation(String patientId, Instant effective, String category, String loinc,
                                          String display) {
        ObjectNode obs = JSON.createObjectNode();
        obs.put("resourceType", "Observation");
        obs.put("status", "final");
        obs.putArray("category").addObject().putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/observation-category").put("code", category);
        coding(obs.putObject("code"), loinc, display);
        obs.putObject("subject").put("reference", "Patient/" + patientId);
        obs.put("effectiveDateTime", effective.toString());
        return obs;
    }

    /** The sender's own identifier for an Observation (what makes a retry safe). */
    public static ObjectNode identified(ObjectNode resource, String system, String value) {
        resource.putArray("identifier").addObject().put("system", system).put("value", value);
        return resource;
    }

    /** A patient's home blood-pressure cuff. */
    public static ObjectNode device(String patientId, String type) {
        ObjectNode d = JSON.createObjectNode();
        d.put("resourceType", "Device");
        d.putObject("type").put("text", type);
        d.putObject("patient").put("reference", "Patient/" + patientId);
        return d;
    }

    /** A dose taken (or, with status not-taken, missed). */
    public static ObjectNode intake(String patientId, Instant when, String rxnorm, String status) {
        ObjectNode m = JSON.createObjectNode();
        m.put("resourceType", "MedicationStatement");
        m.put("status", status);
        m.putObject("medicationCodeableConcept").putArray("coding").addObject()
                .put("system", "http://www.nlm.nih.gov/research/umls/rxnorm").put("code", rxnorm);
        m.putObject("subject").put("reference", "Patient/" + patientId);
        m.put("effectiveDateTime", when.toString());
        return m;
    }

    public static ObjectNode patient(String id, String family, String given, String gender, String birthDate,
                                     String practitionerId) {
        ObjectNode p = JSON.createObjectNode();
        p.put("resourceType", "Patient");
        p.put("id", id);
        p.putArray("identifier").addObject().put("system", "urn:clinloop:demo-mrn").put("value", id);
        ObjectNode name = p.putArray("name").addObject();
        name.put("family", family);
        name.putArray("given").add(given);
        p.put("gender", gender);
        p.put("birthDate", birthDate);
        p.putArray("generalPractitioner").addObject().put("reference", "Practitioner/" + practitionerId);
        return p;
    }

    /** A transaction Bundle POSTing each resource. */
    public static ObjectNode transaction(List<ObjectNode> resources) {
        return bundle("transaction", resources);
    }

    /** A batch Bundle POSTing each resource (each entry stands alone). */
    public static ObjectNode batch(List<ObjectNode> resources) {
        return bundle("batch", resources);
    }

    private static ObjectNode bundle(String type, List<ObjectNode> resources) {
        ObjectNode b = JSON.createObjectNode();
        b.put("resourceType", "Bundle");
        b.put("type", type);
        ArrayNode entries = b.putArray("entry");
        for (ObjectNode r : resources) {
            ObjectNode e = entries.addObject();
            e.set("resource", r);
            e.putObject("request").put("method", "POST").put("url", r.get("resourceType").asText());
        }
        return b;
    }

    /** Bounds with automatic changes at least 3 days apart and at most 2 in 30 days. */
    public static ObjectNode bounds(int lowest, int highest, int maxAuto, double floor, double minConfidence,
                                    boolean autonomy) {
        return bounds(lowest, highest, maxAuto, floor, minConfidence, autonomy, 3, 2);
    }

    public static ObjectNode bounds(int lowest, int highest, int maxAuto, double floor, double minConfidence,
                                    boolean autonomy, int minDaysBetweenAutoChanges, int maxAutoChangesPer30Days) {
        ObjectNode b = JSON.createObjectNode();
        b.put("protocol", "hypertension-acei-v1");
        b.put("lowestStep", lowest);
        b.put("highestStep", highest);
        b.put("maxAutoSteps", maxAuto);
        b.put("systolicFloor", floor);
        b.put("minConfidence", minConfidence);
        b.put("autonomyEnabled", autonomy);
        b.put("minDaysBetweenAutoChanges", minDaysBetweenAutoChanges);
        b.put("maxAutoChangesPer30Days", maxAutoChangesPer30Days);
        return b;
    }

    public static ObjectNode regimen(int doseStep) {
        return JSON.createObjectNode().put("protocol", "hypertension-acei-v1").put("doseStep", doseStep);
    }

    private static void coding(ObjectNode concept, String code, String display) {
        ObjectNode c = concept.putArray("coding").addObject().put("system", "http://loinc.org").put("code", code);
        if (display != null) {
            c.put("display", display);
        }
    }

    private static void component(ObjectNode c, String code, String display, double value) {
        coding(c.putObject("code"), code, display);
        c.putObject("valueQuantity").put("value", value).put("unit", "mmHg")
                .put("system", "http://unitsofmeasure.org").put("code", "mm[Hg]");
    }
}
