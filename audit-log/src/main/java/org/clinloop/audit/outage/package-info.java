/**
 * Telling a database outage from a fault (issue 17): {@link org.clinloop.audit.outage.DatabaseUnavailable}
 * recognises a failure to reach PostgreSQL, which the edges answer 503 with {@code Retry-After} and
 * the background loops wait out, and {@link org.clinloop.audit.outage.OutageLog} logs an outage once,
 * when it starts and when it ends, rather than once per request or tick.
 *
 * <p>It lives in the audit log's module only because that is the lowest module every other one
 * depends on; it knows nothing of the audit log and belongs in a small common module once there is
 * one.
 */
package org.clinloop.audit.outage;
