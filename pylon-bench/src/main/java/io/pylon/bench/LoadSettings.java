package io.pylon.bench;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Validated options of one load run. Built only by {@link LoadOptions#resolve}, so every field here
 * has passed its range check and scenario defaults are already applied.
 *
 * @param rate total publish rate across all publishers in messages per second; 0 means as fast as
 *     the in-flight window allows
 * @param duration upper bound of the measured phase; the run also ends once {@code messages} are
 *     sent
 * @param inflight per publisher, how many messages may be published but not yet delivered (and, for
 *     QoS 1 and 2, not yet acknowledged) before it waits
 * @param serverPid process whose CPU time and RSS are sampled around the measured phase, or 0 for
 *     none
 */
record LoadSettings(
    String host,
    int port,
    MqttVersion version,
    int qos,
    int payloadBytes,
    double rate,
    Duration duration,
    long messages,
    int clients,
    Duration warmup,
    int inflight,
    int threads,
    int connectConcurrency,
    int keepAliveSeconds,
    Duration drainTimeout,
    TlsSettings tls,
    long serverPid,
    String label,
    Path jsonOut,
    String clientIdPrefix) {

  boolean peak() {
    return rate == 0;
  }

  String protocolName() {
    return version == MqttVersion.MQTT_5 ? "5" : "3.1.1";
  }
}
