package io.pylon.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Publish/subscribe round trips through the server with each client library: one client subscribes
 * (QoS 1), another publishes (QoS 1), the subscriber must receive exactly the published payload.
 */
public final class RoundTrip {

  public static final long TIMEOUT_SECONDS = 10;

  private RoundTrip() {}

  public static byte[] payload(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public static void hive5(Mqtt5AsyncClient subscriber, Mqtt5AsyncClient publisher, String topic)
      throws Exception {
    try {
      subscriber.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      CompletableFuture<Mqtt5Publish> received = new CompletableFuture<>();
      var subAck =
          subscriber
              .subscribeWith()
              .topicFilter(topic)
              .qos(MqttQos.AT_LEAST_ONCE)
              .callback(received::complete)
              .send()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(subAck.getReasonCodes()).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
      publisher.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      byte[] payload = payload("hello over " + topic);
      publisher
          .publishWith()
          .topic(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(payload)
          .send()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Mqtt5Publish message = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(message.getTopic().toString()).isEqualTo(topic);
      assertThat(message.getPayloadAsBytes()).isEqualTo(payload);
      assertThat(message.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
    } finally {
      disconnectQuietly(publisher);
      disconnectQuietly(subscriber);
    }
  }

  public static void hive3(Mqtt3AsyncClient subscriber, Mqtt3AsyncClient publisher, String topic)
      throws Exception {
    try {
      subscriber.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      CompletableFuture<Mqtt3Publish> received = new CompletableFuture<>();
      var subAck =
          subscriber
              .subscribeWith()
              .topicFilter(topic)
              .qos(MqttQos.AT_LEAST_ONCE)
              .callback(received::complete)
              .send()
              .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(subAck.getReturnCodes())
          .containsExactly(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
      publisher.connect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      byte[] payload = payload("hello over " + topic);
      publisher
          .publishWith()
          .topic(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .payload(payload)
          .send()
          .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Mqtt3Publish message = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(message.getTopic().toString()).isEqualTo(topic);
      assertThat(message.getPayloadAsBytes()).isEqualTo(payload);
    } finally {
      disconnectQuietly(publisher);
      disconnectQuietly(subscriber);
    }
  }

  /** Paho MQTT 3.1.1; {@code options} carries the socket factory for TLS (or none). */
  public static void pahoV3(String uri, MqttConnectOptions options, String topic) throws Exception {
    org.eclipse.paho.client.mqttv3.MqttClient subscriber =
        new org.eclipse.paho.client.mqttv3.MqttClient(
            uri, PylonServerExtension.clientId("paho3-sub"), new MemoryPersistence());
    org.eclipse.paho.client.mqttv3.MqttClient publisher =
        new org.eclipse.paho.client.mqttv3.MqttClient(
            uri, PylonServerExtension.clientId("paho3-pub"), new MemoryPersistence());
    subscriber.setTimeToWait(TIMEOUT_SECONDS * 1000);
    publisher.setTimeToWait(TIMEOUT_SECONDS * 1000);
    options.setConnectionTimeout((int) TIMEOUT_SECONDS);
    try {
      CompletableFuture<MqttMessage> received = new CompletableFuture<>();
      subscriber.setCallback(
          new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
              received.completeExceptionally(cause);
            }

            @Override
            public void messageArrived(String t, MqttMessage message) {
              received.complete(message);
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {}
          });
      subscriber.connect(options);
      int[] granted = subscriber.subscribeWithResponse(topic, 1).getGrantedQos();
      assertThat(granted).containsExactly(1);
      publisher.connect(options);
      byte[] payload = payload("hello over " + topic);
      publisher.publish(topic, payload, 1, false);
      MqttMessage message = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(message.getPayload()).isEqualTo(payload);
      assertThat(message.getQos()).isEqualTo(1);
    } finally {
      closeQuietly(publisher);
      closeQuietly(subscriber);
    }
  }

  /** Paho MQTT 5; {@code options} carries the socket factory for TLS (or none). */
  public static void pahoV5(String uri, MqttConnectionOptions options, String topic)
      throws Exception {
    org.eclipse.paho.mqttv5.client.MqttClient subscriber =
        new org.eclipse.paho.mqttv5.client.MqttClient(
            uri,
            PylonServerExtension.clientId("paho5-sub"),
            new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    org.eclipse.paho.mqttv5.client.MqttClient publisher =
        new org.eclipse.paho.mqttv5.client.MqttClient(
            uri,
            PylonServerExtension.clientId("paho5-pub"),
            new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    subscriber.setTimeToWait(TIMEOUT_SECONDS * 1000);
    publisher.setTimeToWait(TIMEOUT_SECONDS * 1000);
    options.setConnectionTimeout((int) TIMEOUT_SECONDS);
    try {
      CompletableFuture<org.eclipse.paho.mqttv5.common.MqttMessage> received =
          new CompletableFuture<>();
      subscriber.setCallback(
          new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
              received.completeExceptionally(
                  new IllegalStateException("disconnected: " + response));
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
              received.completeExceptionally(exception);
            }

            @Override
            public void messageArrived(
                String t, org.eclipse.paho.mqttv5.common.MqttMessage message) {
              received.complete(message);
            }

            @Override
            public void deliveryComplete(IMqttToken token) {}

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {}

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {}
          });
      subscriber.connect(options);
      IMqttToken subscribed = subscriber.subscribe(topic, 1);
      assertThat(subscribed.getReasonCodes()).containsExactly(1);
      publisher.connect(options);
      byte[] payload = payload("hello over " + topic);
      publisher.publish(topic, payload, 1, false);
      var message = received.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(message.getPayload()).isEqualTo(payload);
      assertThat(message.getQos()).isEqualTo(1);
    } finally {
      closeQuietly(publisher);
      closeQuietly(subscriber);
    }
  }

  public static void disconnectQuietly(Mqtt5AsyncClient client) {
    try {
      if (client.getState().isConnected()) {
        client.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // the test already has its verdict
    }
  }

  public static void disconnectQuietly(Mqtt3AsyncClient client) {
    try {
      if (client.getState().isConnected()) {
        client.disconnect().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      // the test already has its verdict
    }
  }

  public static void closeQuietly(org.eclipse.paho.client.mqttv3.MqttClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect(TIMEOUT_SECONDS * 1000);
      }
    } catch (Exception e) {
      // fall through to close
    }
    try {
      client.close();
    } catch (Exception e) {
      // nothing more to release
    }
  }

  public static void closeQuietly(org.eclipse.paho.mqttv5.client.MqttClient client) {
    try {
      if (client.isConnected()) {
        client.disconnect(TIMEOUT_SECONDS * 1000);
      }
    } catch (Exception e) {
      // fall through to close
    }
    try {
      client.close();
    } catch (Exception e) {
      // nothing more to release
    }
  }
}
