/**
 * The zero-set-up database of {@code ./clinloop run}: a PostgreSQL server of its own beside the
 * service, from binaries on Maven Central. {@link org.clinloop.localdb.LocalDatabase} creates, starts and
 * stops it; {@link org.clinloop.localdb.LocalDatabaseCli} is what the run script calls.
 */
package org.clinloop.localdb;
