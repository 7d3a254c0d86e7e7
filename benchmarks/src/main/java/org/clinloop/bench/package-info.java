/**
 * JMH benchmarks. Each class pairs a subject with a baseline measured in the same run (methods
 * whose names start with {@code limit}); {@link org.clinloop.bench.Benchmarks} prints every
 * subject as a ratio to its class's baseline, because these machines are too noisy for absolute
 * figures to mean much. Run with {@code ./clinloop bench [regex]}.
 */
package org.clinloop.bench;
