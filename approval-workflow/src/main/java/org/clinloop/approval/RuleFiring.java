package org.clinloop.approval;

/**
 * One rule that fired, what it voted and why.
 *
 * @param rule    the rule's name in the DRL
 * @param verdict the tier it votes for
 * @param reason  expected versus found, in clinical words
 */
public record RuleFiring(String rule, Tier verdict, String reason) {
}
