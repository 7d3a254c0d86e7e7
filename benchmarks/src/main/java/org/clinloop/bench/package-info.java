/**
 * JMH benchmarks. Each class pairs a subject with a baseline measured in the same run (methods
 * whose names start with {@code limit}); {@link org.clinloop.bench.Benchmarks} prints every
 * subject as a ratio to its class's baseline, because these machines are too noisy for absolute
 * figures to mean much. Run with {@code ./clinloop bench [regex]}.
 *
 * <p>{@link org.clinloop.bench.IngestLoad} is the HTTP load on a running service (run with
 * {@code ./clinloop bench-http}), measured in the same run against a peer FHIR server and an
 * in-process parse+insert baseline, step by step with {@link org.clinloop.bench.LoadStep}.
 */
package org.clinloop.bench;
