/**
 * JMH microbenchmarks of broker internals, run in-process without sockets: subscription matching
 * ({@link io.pylon.bench.jmh.TopicTreeBenchmark}), topic validation ({@link
 * io.pylon.bench.jmh.TopicRulesBenchmark}), the publish path from decoded bytes to subscriber
 * writes ({@link io.pylon.bench.jmh.PublishPathBenchmark}) and IoT policy evaluation ({@link
 * io.pylon.bench.jmh.PolicyEvaluationBenchmark}).
 *
 * <p>Unlike the load tool in {@code io.pylon.bench}, which measures any broker through the wire
 * only, these import broker classes on purpose: they locate costs inside Pylon. Run them with
 * {@code java -cp pylon-bench/target/classes:<runtime class path> org.openjdk.jmh.Main <regex>}.
 */
package io.pylon.bench.jmh;
