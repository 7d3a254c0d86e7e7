package org.clinloop.it;

import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;

/**
 * What the service recorded about some patients, read back over the API: the audit log as the
 * compliance officer reads it, and the regimen, dose changes and tasks as the clinician does. It
 * names every breach of the promises a crash or a second node must not break:
 * <ul>
 *   <li>no reading decided twice (the readings each {@code PROPOSAL_MADE} or {@code PROPOSAL_SKIPPED}
 *       covered are disjoint);</li>
 *   <li>no dose change delivered twice (one {@code ADJUSTMENT_DELIVERED} and one stored adjustment
 *       per proposal at most);</li>
 *   <li>no task half-done (an approval that changes the dose has exactly one delivery of its proposal,
 *       the task reads APPROVED, and every delivery under a clinician's name has its approval);</li>
 *   <li>the regimen where the dose changes put it (each change starts where the last one ended, and
 *       the regimen is at the last one's dose);</li>
 *   <li>at most one open task per patient, and, when asked, nothing left in the decision outbox.</li>
 * </ul>
 * Dose changes are read from the start of each patient's record: patients are made for one test.
 */
final class Outcomes {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every reading a decision covered, repeats kept. */
    final List<String> covered = new ArrayList<>();
    /** What breaks a promise, in words. */
    final List<String> problems = new ArrayList<>();
    int decisions;
    int delivered;
    int approved;
    int openTasks;
    int pendingReadings;

    private Outcomes() {
    }

    /** Reads the outcomes of {@code patients} through {@code api} (any node). */
    static Outcomes read(Clinic clinic, ClinLoopClient api, Collection<String> patients) {
        Outcomes o = new Outcomes();
        for (String p : patients) {
            o.readPatient(clinic, api, p);
        }
        return o;
    }

    /** Breaches about the readings: one acknowledged but never decided, or one decided twice. */
    List<String> decidedExactlyOnce(Collection<String> acknowledged) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String id : covered) {
            if (!seen.add(id)) {
                out.add("reading " + id + " covered by more than one decision");
            }
        }
        for (String id : acknowledged) {
            if (!seen.contains(id)) {
                out.add("reading " + id + " was answered 201 but no decision covers it");
            }
        }
        return out;
    }

    int distinctCovered() {
        return new HashSet<>(covered).size();
    }

    private void readPatient(Clinic clinic, ClinLoopClient api, String patient) {
        String clinician = clinic.clinician(Clinic.RIVERA);
        for (String type : List.of("PROPOSAL_MADE", "PROPOSAL_SKIPPED")) {
            for (JsonNode d : details(clinic, api, patient, type)) {
                decisions++;
                d.path("covered").forEach(c -> covered.add(c.asText()));
            }
        }
        Map<String, Integer> deliveriesByProposal = new HashMap<>();
        Map<String, String> approverOf = new HashMap<>();
        for (JsonNode d : details(clinic, api, patient, "ADJUSTMENT_DELIVERED")) {
            delivered++;
            String proposal = d.path("proposal").asText();
            deliveriesByProposal.merge(proposal, 1, Integer::sum);
            approverOf.put(proposal, d.path("approvedBy").asText());
        }
        deliveriesByProposal.forEach((proposal, n) -> {
            if (n > 1) {
                problems.add(patient + ": proposal " + proposal + " delivered " + n + " times");
            }
        });
        Set<String> approvedProposals = new HashSet<>();
        for (String type : List.of("TASK_APPROVED", "TASK_MODIFIED")) {
            for (JsonNode d : details(clinic, api, patient, type)) {
                approved++;
                String task = d.path("task").asText();
                String proposal = d.path("proposal").asText();
                approvedProposals.add(proposal);
                int from = d.path("fromStep").asInt();
                int to = type.equals("TASK_MODIFIED") ? d.path("chosenStep").asInt() : d.path("toStep").asInt();
                int n = deliveriesByProposal.getOrDefault(proposal, 0);
                if (to != from && n != 1) {
                    problems.add(patient + ": task " + task + " approved (" + from + " → " + to + ") with " + n
                            + " deliveries of its proposal");
                }
                String status = expect(api.get("/api/tasks/" + task, clinician), 200).json().path("status").asText();
                if (!"APPROVED".equals(status)) {
                    problems.add(patient + ": task " + task + " has " + type + " in the audit log but reads " + status);
                }
            }
        }
        approverOf.forEach((proposal, by) -> {
            if (!"null".equals(by) && !by.isEmpty() && !approvedProposals.contains(proposal)) {
                problems.add(patient + ": proposal " + proposal + " delivered under " + by + "'s name without an approval");
            }
        });

        List<JsonNode> changes = new ArrayList<>();
        expect(api.get("/api/patients/" + patient + "/adjustments?limit=500", clinician), 200).json()
                .forEach(changes::add);
        changes.sort(Comparator.comparing(a -> Instant.parse(a.path("createdAt").asText())));
        if (changes.size() != deliveriesByProposal.values().stream().mapToInt(Integer::intValue).sum()) {
            problems.add(patient + ": " + changes.size() + " dose changes stored, " + delivered + " recorded as delivered");
        }
        Set<String> storedProposals = new HashSet<>();
        for (int i = 0; i < changes.size(); i++) {
            JsonNode c = changes.get(i);
            if (!storedProposals.add(c.path("proposalId").asText())) {
                problems.add(patient + ": two dose changes stored for proposal " + c.path("proposalId").asText());
            }
            if (i > 0 && c.path("fromStep").asInt() != changes.get(i - 1).path("toStep").asInt()) {
                problems.add(patient + ": dose change " + c.path("id").asText() + " starts at step "
                        + c.path("fromStep").asInt() + ", the one before it ended at " + changes.get(i - 1).path("toStep").asInt());
            }
        }
        if (!changes.isEmpty()) {
            int regimen = expect(api.get("/api/patients/" + patient + "/regimen", clinician), 200).json()
                    .path("doseStep").asInt();
            int last = changes.get(changes.size() - 1).path("toStep").asInt();
            if (regimen != last) {
                problems.add(patient + ": regimen at step " + regimen + ", the last dose change went to " + last);
            }
        }
        int open = expect(api.get("/fhir/Task?patient=" + patient + "&status=requested", clinician), 200).json()
                .path("total").asInt();
        openTasks += open;
        if (open > 1) {
            problems.add(patient + ": " + open + " open tasks");
        }
        pendingReadings += expect(api.get("/api/patients/" + patient + "/decisions", clinic.compliance()), 200).json()
                .path("pendingReadings").asInt();
    }

    private static List<JsonNode> details(Clinic clinic, ClinLoopClient api, String patient, String type) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode e : expect(api.get("/api/audit/entries?patient=" + patient + "&type=" + type + "&limit=1000",
                clinic.compliance()), 200).json()) {
            try {
                out.add(JSON.readTree(e.get("detailJson").asText()));
            } catch (IOException ex) {
                throw new IllegalStateException("Expected JSON detail in " + e, ex);
            }
        }
        return out;
    }
}
