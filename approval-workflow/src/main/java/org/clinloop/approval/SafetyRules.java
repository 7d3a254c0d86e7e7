package org.clinloop.approval;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.clinloop.approval.internal.BoundsFact;
import org.clinloop.approval.internal.ContextFact;
import org.clinloop.approval.internal.ProposalFact;
import org.clinloop.approval.internal.ReadingFact;
import org.clinloop.approval.internal.Verdicts;
import org.clinloop.audit.Fingerprints;
import org.clinloop.recommendation.BloodPressureReading;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.Message;
import org.kie.api.builder.Results;
import org.kie.api.io.ResourceType;
import org.kie.api.runtime.StatelessKieSession;

/**
 * The Drools rule set that decides a proposal's {@link Tier}. Compiled once; each evaluation is
 * a stateless session, safe to run from many threads.
 */
public final class SafetyRules {

    public static final String RULES_RESOURCE = "org/clinloop/approval/rules/titration-safety.drl";
    static final String SAFETY_NET = "Safety net (Java bounds check)";
    static final String DENY_BY_DEFAULT = "No rule allowed automatic delivery";
    private static final Logger LOG = Logger.getLogger(SafetyRules.class.getName());

    private final KieBase kieBase;
    private final String version;
    private final String drl;

    public SafetyRules(String drl) {
        Objects.requireNonNull(drl, "Rule text is required.");
        this.drl = drl;
        KieServices kie = KieServices.Factory.get();
        KieFileSystem files = kie.newKieFileSystem()
                .write("src/main/resources/" + RULES_RESOURCE, kie.getResources().newByteArrayResource(
                        drl.getBytes(StandardCharsets.UTF_8)).setResourceType(ResourceType.DRL));
        ReleaseId release = kie.newReleaseId("org.clinloop", "titration-safety",
                "1.0.0-" + Fingerprints.sha256Hex(drl.getBytes(StandardCharsets.UTF_8)).substring(0, 16));
        files.generateAndWritePomXML(release);
        Results results = kie.newKieBuilder(files).buildAll().getResults();
        if (results.hasMessages(Message.Level.ERROR)) {
            throw new IllegalArgumentException("Safety rules do not compile: " + results.getMessages(Message.Level.ERROR));
        }
        this.kieBase = kie.newKieContainer(release).getKieBase();
        this.version = "titration-safety@" + Fingerprints.sha256Hex(drl.getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    }

    /** The rule set shipped with this build. */
    public static SafetyRules standard() {
        try (InputStream in = SafetyRules.class.getClassLoader().getResourceAsStream(RULES_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Safety rules resource " + RULES_RESOURCE + " is missing.");
            }
            return new SafetyRules(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Safety rules resource " + RULES_RESOURCE + " cannot be read.", e);
        }
    }

    /** The DRL this rule set was compiled from (stored by version, so that past decisions can be replayed). */
    public String drl() {
        return drl;
    }

    /** Name and content hash of the rule text, recorded with every decision. */
    public String version() {
        return version;
    }

    /** Decides with nothing known but the reading (autonomy not earned, no history, no EHR context). */
    public TierDecision evaluate(ProposedStep step, SafetyBounds bounds, ProtocolLimits limits,
                                 BloodPressureReading reading) {
        return evaluate(step, bounds, limits, DecisionContext.readingOnly(reading));
    }

    /**
     * Decides the tier of a proposal.
     *
     * @param step    the proposed change, or null when there is none (alerts are still checked)
     * @param bounds  the patient's active bounds (or {@link SafetyBounds#protocolDefault})
     * @param limits  the protocol's hard limits
     * @param context the triggering reading, recent readings, autonomy, change history, EHR context
     */
    public TierDecision evaluate(ProposedStep step, SafetyBounds bounds, ProtocolLimits limits,
                                 DecisionContext context) {
        Objects.requireNonNull(bounds, "Bounds are required.");
        Objects.requireNonNull(limits, "Protocol limits are required.");
        Objects.requireNonNull(context, "The decision context is required.");
        BloodPressureReading reading = context.reading();
        Verdicts verdicts = new Verdicts();
        List<Object> facts = new ArrayList<>(4);
        facts.add(new BoundsFact(bounds, limits));
        facts.add(new ReadingFact(reading.systolic(), reading.diastolic()));
        facts.add(new ContextFact(context, limits));
        if (step != null) {
            facts.add(new ProposalFact(step.fromStep(), step.toStep(), step.probability()));
        }
        StatelessKieSession session = kieBase.newStatelessKieSession();
        session.setGlobal("verdicts", verdicts);
        session.execute(facts);

        List<RuleFiring> fired = new ArrayList<>(verdicts.votes());
        Tier tier = Tier.NO_CHANGE;
        for (RuleFiring f : fired) {
            tier = tier.mostRestrictive(f.verdict());
        }
        if (step != null && step.change() != 0 && fired.stream().noneMatch(f -> f.verdict() != Tier.NO_CHANGE)) {
            fired.add(new RuleFiring(DENY_BY_DEFAULT, Tier.NEEDS_APPROVAL, "no rule placed this change inside the bounds"));
            tier = Tier.NEEDS_APPROVAL;
        }
        if (step != null && step.change() != 0 && !BoundsCheck.insideHardLimits(step.toStep(), limits)
                && tier != Tier.BLOCKED) {
            LOG.log(Level.SEVERE, "Rules {0} let step {1} outside the hard limits pass; blocked by the safety net",
                    new Object[] {version, step});
            fired.add(new RuleFiring(SAFETY_NET, Tier.BLOCKED, "step " + step.toStep() + " is outside the hard limits"));
            tier = Tier.BLOCKED;
        }
        if (tier == Tier.AUTO && !BoundsCheck.autonomousAllowed(step, bounds, limits, context)) {
            LOG.log(Level.SEVERE, "Rules {0} gave AUTO for {1} outside {2}; sent to a clinician by the safety net",
                    new Object[] {version, step, bounds.versionTag()});
            fired.add(new RuleFiring(SAFETY_NET, Tier.NEEDS_APPROVAL, "the Java bounds check refuses automatic delivery"));
            tier = Tier.NEEDS_APPROVAL;
        }
        int from = step == null ? -1 : step.fromStep();
        int to = step == null ? -1 : step.toStep();
        return new TierDecision(tier, fired, verdicts.alerts(), from, to, version, bounds.version());
    }
}
