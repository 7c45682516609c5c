package io.pylon.mqtt.testing;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** Real client libraries pointed at a {@link TestBroker}. */
public final class Clients {

  private static final AtomicInteger ids = new AtomicInteger();

  private Clients() {}

  /** A client id not used before in this JVM (the AWS profile throttles reused ids). */
  public static String uniqueId(String prefix) {
    return prefix + "-" + ids.incrementAndGet();
  }

  public static Mqtt5ClientBuilder hive5Builder(TestBroker broker, String clientId) {
    return Mqtt5Client.builder()
        .identifier(clientId)
        .serverHost("127.0.0.1")
        .serverPort(broker.port());
  }

  /** An MQTT 5 HiveMQ client, not yet connected. */
  public static Mqtt5BlockingClient hive5(TestBroker broker, String clientId) {
    return hive5Builder(broker, clientId).buildBlocking();
  }

  /** An MQTT 5 HiveMQ client, connected with clean start. */
  public static Mqtt5BlockingClient hive5Connected(TestBroker broker, String clientId) {
    Mqtt5BlockingClient c = hive5(broker, clientId);
    c.connect();
    return c;
  }

  public static Mqtt3ClientBuilder hive3Builder(TestBroker broker, String clientId) {
    return Mqtt3Client.builder()
        .identifier(clientId)
        .serverHost("127.0.0.1")
        .serverPort(broker.port());
  }

  /** An MQTT 3.1.1 HiveMQ client, not yet connected. */
  public static Mqtt3BlockingClient hive3(TestBroker broker, String clientId) {
    return hive3Builder(broker, clientId).buildBlocking();
  }

  public static Mqtt3BlockingClient hive3Connected(TestBroker broker, String clientId) {
    Mqtt3BlockingClient c = hive3(broker, clientId);
    c.connect();
    return c;
  }

  /** An MQTT 3.1.1 Paho client, not yet connected. */
  public static MqttClient paho3(TestBroker broker, String clientId) throws MqttException {
    MqttClient c = new MqttClient(broker.tcpUri(), clientId, new MemoryPersistence());
    c.setTimeToWait(10_000);
    return c;
  }

  public static MqttConnectOptions paho3Options(boolean cleanSession) {
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    o.setCleanSession(cleanSession);
    o.setConnectionTimeout(10);
    o.setAutomaticReconnect(false);
    // Paho 3.1.1 lets a synchronous publish return before it decrements its in-flight count
    // (eclipse-paho/paho.mqtt.java#551); under load its default window of 10 then fills up with
    // publishes that are already complete. Tests publish far fewer than this.
    o.setMaxInflight(1000);
    return o;
  }

  public static MqttClient paho3Connected(TestBroker broker, String clientId) throws MqttException {
    MqttClient c = paho3(broker, clientId);
    c.connect(paho3Options(true));
    return c;
  }

  /** An MQTT 5 Paho client, not yet connected. */
  public static org.eclipse.paho.mqttv5.client.MqttClient paho5(TestBroker broker, String clientId)
      throws org.eclipse.paho.mqttv5.common.MqttException {
    org.eclipse.paho.mqttv5.client.MqttClient c =
        new org.eclipse.paho.mqttv5.client.MqttClient(
            broker.tcpUri(),
            clientId,
            new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    c.setTimeToWait(10_000);
    return c;
  }

  public static org.eclipse.paho.mqttv5.client.MqttConnectionOptions paho5Options(
      boolean cleanStart) {
    org.eclipse.paho.mqttv5.client.MqttConnectionOptions o =
        new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
    o.setCleanStart(cleanStart);
    o.setConnectionTimeout(10);
    o.setAutomaticReconnect(false);
    return o;
  }

  public static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  public static String utf8(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Closes clients quietly at the end of a test. */
  public static void quietly(AutoCloseable... closeables) {
    for (AutoCloseable c : closeables) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }
}
