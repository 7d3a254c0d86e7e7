package org.clinloop.it;

import static org.clinloop.client.Clinic.expect;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.clinloop.client.ClinLoopClient;
import org.clinloop.client.Clinic;

/**
 * Dr Rivera working through the open tasks of some patients while readings stream in: each open
 * task is approved as proposed, on one node after another, or, when {@code race} is set, on every
 * node at the same moment. Keeps every answer: an approval may win (200), lose to another approval
 * or to a newer decision that superseded the task (409, an OperationOutcome naming the conflict), or
 * find no server (killed); anything else is a breach.
 */
final class Approver {

    final AtomicInteger approved = new AtomicInteger();
    final AtomicInteger conflicts = new AtomicInteger();
    final AtomicInteger noAnswer = new AtomicInteger();
    /** Races in which exactly one approval won and every other got a clean 409. */
    final AtomicInteger racesWonOnce = new AtomicInteger();
    /** Answers that break the promise: a second approval of one task, a 5xx, a 409 without an OperationOutcome. */
    final List<String> bad = Collections.synchronizedList(new ArrayList<>());
    private final Map<Integer, AtomicInteger> statuses = Collections.synchronizedMap(new TreeMap<>());
    private final Clinic clinic;
    private final List<ClinLoopClient> nodes;
    private final List<String> patients;
    private final boolean race;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private Thread thread;

    Approver(Clinic clinic, List<ClinLoopClient> nodes, List<String> patients, boolean race) {
        this.clinic = clinic;
        this.nodes = List.copyOf(nodes);
        this.patients = List.copyOf(patients);
        this.race = race;
    }

    void start() {
        stopped.set(false);
        thread = new Thread(this::work, "approver");
        thread.start();
    }

    void stop() throws InterruptedException {
        stopped.set(true);
        thread.join(60_000);
    }

    Map<Integer, AtomicInteger> statuses() {
        return new TreeMap<>(statuses);
    }

    private void work() {
        int turn = 0;
        while (!stopped.get()) {
            for (String patient : patients) {
                if (stopped.get()) {
                    return;
                }
                String task = openTask(patient);
                if (task == null) {
                    continue;
                }
                if (race && nodes.size() > 1) {
                    race(task);
                } else {
                    note(approve(nodes.get(turn++ % nodes.size()), task));
                }
            }
            pause(300);
        }
    }

    /** Approves {@code task} on every node at once: at most one may win, the others must get a clean 409. */
    void race(String task) {
        CyclicBarrier start = new CyclicBarrier(nodes.size());
        List<CompletableFuture<ClinLoopClient.Reply>> replies = new ArrayList<>();
        for (ClinLoopClient node : nodes) {
            CompletableFuture<ClinLoopClient.Reply> reply = new CompletableFuture<>();
            // A thread each: all must wait at the barrier at once (the common pool may have one thread).
            new Thread(() -> {
                try {
                    start.await();
                    reply.complete(approve(node, task));
                } catch (Exception e) {
                    reply.completeExceptionally(e);
                }
            }, "approve-race").start();
            replies.add(reply);
        }
        int won = 0;
        int lost = 0;
        for (CompletableFuture<ClinLoopClient.Reply> f : replies) {
            ClinLoopClient.Reply r = f.join();
            note(r);
            if (r != null && r.status() == 200) {
                won++;
            } else if (r != null && r.status() == 409) {
                lost++;
            }
        }
        if (won > 1) {
            bad.add("task " + task + " approved " + won + " times by racing approvals");
        } else if (won == 1 && lost == nodes.size() - 1) {
            racesWonOnce.incrementAndGet();
        }
    }

    /** The patient's open task, read on the first node that answers; null when none is open or none answers. */
    private String openTask(String patient) {
        for (ClinLoopClient node : nodes) {
            try {
                JsonNode bundle = expect(node.get("/fhir/Task?patient=" + patient + "&status=requested",
                        clinic.clinician(Clinic.RIVERA)), 200).json();
                JsonNode entry = bundle.path("entry").path(0).path("resource");
                return entry.isMissingNode() ? null : entry.path("id").asText();
            } catch (IllegalStateException e) {
                // that node is gone (or refused for now): ask the next one
            }
        }
        return null;
    }

    private ClinLoopClient.Reply approve(ClinLoopClient node, String task) {
        try {
            return node.post("/api/tasks/" + task + "/approve", clinic.clinician(Clinic.RIVERA),
                    ClinLoopClient.JSON_TYPE, "{\"note\":\"agree\"}");
        } catch (IllegalStateException e) {
            return null; // no server answered (killed)
        }
    }

    private void note(ClinLoopClient.Reply r) {
        if (r == null) {
            noAnswer.incrementAndGet();
            return;
        }
        statuses.computeIfAbsent(r.status(), s -> new AtomicInteger()).incrementAndGet();
        if (r.status() == 200) {
            approved.incrementAndGet();
        } else if (r.status() == 409) {
            conflicts.incrementAndGet();
            JsonNode body;
            try {
                body = r.json();
            } catch (IllegalStateException e) {
                bad.add("a 409 that is not JSON: " + r.body());
                return;
            }
            if (!"OperationOutcome".equals(body.path("resourceType").asText())
                    || !"conflict".equals(body.path("issue").path(0).path("code").asText())) {
                bad.add("a 409 without an OperationOutcome of code conflict: " + r.body());
            }
        } else if (r.status() != 422 && r.status() != 503) {
            // 422: the rules refuse the dose now (a clinical answer); 503: a server going down said so
            bad.add("approval answered " + r);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
