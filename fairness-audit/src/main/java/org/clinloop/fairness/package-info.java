/**
 * Fairness audit: how recommendations, approvals and outcomes differ across patient groups.
 */
package org.clinloop.fairness;
