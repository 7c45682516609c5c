package io.pylon.it.harness;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientSslConfig;
import com.hivemq.client.mqtt.MqttClientSslConfigBuilder;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Builders for the client libraries under test, pointed at 127.0.0.1. */
public final class Clients {

  private Clients() {}

  /**
   * HiveMQ client TLS settings: trust {@code caFile}, present {@code device} (null: no
   * certificate), restrict to {@code protocols} (empty: library defaults).
   */
  public static MqttClientSslConfig tls(Path caFile, Device device, List<String> protocols) {
    MqttClientSslConfigBuilder builder =
        MqttClientSslConfig.builder()
            .trustManagerFactory(Tls.trustManagerFactory(caFile))
            .handshakeTimeout(10, TimeUnit.SECONDS);
    if (device != null) {
      builder = builder.keyManagerFactory(device.keyManagerFactory());
    }
    if (!protocols.isEmpty()) {
      builder = builder.protocols(protocols);
    }
    return builder.build();
  }

  public static Mqtt5ClientBuilder hive5(String clientId, int port) {
    return MqttClient.builder()
        .useMqttVersion5()
        .identifier(clientId)
        .serverHost("127.0.0.1")
        .serverPort(port);
  }

  public static Mqtt3ClientBuilder hive3(String clientId, int port) {
    return MqttClient.builder()
        .useMqttVersion3()
        .identifier(clientId)
        .serverHost("127.0.0.1")
        .serverPort(port);
  }

  /** A HiveMQ MQTT 5 client for the device port with a device certificate. */
  public static Mqtt5AsyncClient hive5Tls(
      String clientId, int port, Device device, List<String> protocols) {
    return hive5(clientId, port).sslConfig(tls(device.caFile(), device, protocols)).buildAsync();
  }

  /** A HiveMQ MQTT 3.1.1 client for the device port with a device certificate. */
  public static Mqtt3AsyncClient hive3Tls(
      String clientId, int port, Device device, List<String> protocols) {
    return hive3(clientId, port).sslConfig(tls(device.caFile(), device, protocols)).buildAsync();
  }
}
