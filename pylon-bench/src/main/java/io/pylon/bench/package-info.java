/**
 * The load tool behind {@code pylon bench}: an MQTT client built for throughput rather than
 * features, driving whole-server scenarios (fan-in, fan-out, point-to-point, idle connections)
 * against any broker on loopback, so that Pylon and Mosquitto are measured by the same client in
 * the same run; and scenarios for AWS IoT features only Pylon has (Device Shadow updates, topic
 * rules with a local HTTP sink, whose rules it creates over the SigV4-signed REST API).
 *
 * <p>Entry point: {@link io.pylon.bench.BenchMain}. A run is {@code LoadSettings} (validated
 * options) → {@code PubSubRun}, {@code ShadowRun}, {@code RulesRun} or {@code IdleRun} over a
 * {@code Transport} (Netty, epoll when available) → a {@code RunResult} printed as a table and as
 * one JSON line; {@code ReportCommand} turns the JSON lines of a side-by-side run into Markdown.
 *
 * <p>Nothing here imports broker classes: the tool must measure any MQTT server through the wire
 * only.
 */
package io.pylon.bench;
