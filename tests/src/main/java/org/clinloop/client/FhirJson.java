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
        ObjectNode obs = JSON.createObjectNode();
        obs.put("resourceType", "Observation");
        obs.put("status", "final");
        obs.putArray("category").addObject().putArray("coding").addObject()
                .put("system", "http://terminology.hl7.org/CodeSystem/observation-category").put("code", "vital-signs");
        coding(obs.putObject("code"), "85354-9", "Blood pressure panel with all children optional");
        obs.putObject("subject").put("reference", "Patient/" + patientId);
        obs.put("effectiveDateTime", effective.toString());
        ArrayNode components = obs.putArray("component");
        component(components.addObject(), "8480-6", "Systolic blood pressure", systolic);
        component(components.addObject(), "8462-4", "Diastolic blood pressure", diastolic);
        return obs;
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
        ObjectNode b = JSON.createObjectNode();
        b.put("resourceType", "Bundle");
        b.put("type", "transaction");
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
        concept.putArray("coding").addObject().put("system", "http://loinc.org").put("code", code).put("display", display);
    }

    private static void component(ObjectNode c, String code, String display, double value) {
        coding(c.putObject("code"), code, display);
        c.putObject("valueQuantity").put("value", value).put("unit", "mmHg")
                .put("system", "http://unitsofmeasure.org").put("code", "mm[Hg]");
    }
}
