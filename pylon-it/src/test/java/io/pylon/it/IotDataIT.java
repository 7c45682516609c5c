package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.HTTPS;
import static io.pylon.it.harness.PylonServerExtension.MQTT;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RawHttp;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.Tls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The messaging operations of iot-data (Publish, GetRetainedMessage, ListRetainedMessages) driven
 * by the real AWS CLI, with MQTT subscribers on the other side, and a device calling them over
 * mutual TLS under its IoT policy.
 */
class IotDataIT {

  private static final int TIMEOUT = 10;

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static AwsCli aws;

  @BeforeAll
  static void setUp() {
    aws = AwsCli.of(pylon);
  }

  @Test
  void publish_qos1_reachesAnMqttSubscriber() throws Exception {
    Mqtt3AsyncClient subscriber =
        Clients.hive3(clientId("itd-sub3"), pylon.port(MQTT)).buildAsync();
    try {
      subscriber.connect().get(TIMEOUT, TimeUnit.SECONDS);
      CompletableFuture<Mqtt3Publish> received = new CompletableFuture<>();
      subscriber
          .subscribeWith()
          .topicFilter("itd/a/b")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(received::complete)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);

      AwsCli.Result result =
          aws.run(
              "iot-data",
              "publish",
              "--topic",
              "itd/a/b",
              "--qos",
              "1",
              "--payload",
              "{\"temperature\":21.5}",
              "--cli-binary-format",
              "raw-in-base64-out");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      Mqtt3Publish message = received.get(TIMEOUT, TimeUnit.SECONDS);
      assertThat(text(message.getPayloadAsBytes())).isEqualTo("{\"temperature\":21.5}");
      assertThat(message.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
      assertThat(message.isRetain()).isFalse();
    } finally {
      subscriber.disconnect();
    }
  }

  @Test
  void mqtt5Members_arriveAtAnMqtt5Subscriber() throws Exception {
    Mqtt5AsyncClient subscriber =
        Clients.hive5(clientId("itd-sub5"), pylon.port(MQTT)).buildAsync();
    try {
      subscriber.connect().get(TIMEOUT, TimeUnit.SECONDS);
      CompletableFuture<Mqtt5Publish> received = new CompletableFuture<>();
      subscriber
          .subscribeWith()
          .topicFilter("itd/v5/request")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(received::complete)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);

      AwsCli.Result result =
          aws.run(
              "iot-data",
              "publish",
              "--topic",
              "itd/v5/request",
              "--qos",
              "1",
              "--payload",
              "ping",
              "--cli-binary-format",
              "raw-in-base64-out",
              "--user-properties",
              "[{\"deviceName\": \"alpha\"}, {\"deviceCnt\": \"45\"}]",
              "--payload-format-indicator",
              "UTF8_DATA",
              "--content-type",
              "text/plain",
              "--response-topic",
              "itd/v5/response",
              "--correlation-data",
              Base64.getEncoder().encodeToString("req-42".getBytes(StandardCharsets.UTF_8)),
              "--message-expiry",
              "120");

      assertThat(result.exitCode()).as(result.toString()).isZero();
      Mqtt5Publish message = received.get(TIMEOUT, TimeUnit.SECONDS);
      assertThat(text(message.getPayloadAsBytes())).isEqualTo("ping");
      List<String> properties = new ArrayList<>();
      for (Mqtt5UserProperty p : message.getUserProperties().asList()) {
        properties.add(p.getName() + "=" + p.getValue());
      }
      assertThat(properties).containsExactly("deviceName=alpha", "deviceCnt=45");
      assertThat(message.getPayloadFormatIndicator()).hasValue(Mqtt5PayloadFormatIndicator.UTF_8);
      assertThat(message.getContentType().map(Object::toString)).hasValue("text/plain");
      assertThat(message.getResponseTopic().map(Object::toString)).hasValue("itd/v5/response");
      assertThat(message.getCorrelationData().map(b -> text(toArray(b)))).hasValue("req-42");
      assertThat(message.getMessageExpiryInterval()).isPresent();
      assertThat(message.getMessageExpiryInterval().getAsLong()).isBetween(1L, 120L);
    } finally {
      subscriber.disconnect();
    }
  }

  @Test
  void retainedPublish_isReadBackListedAndDeliveredToLateSubscribers() throws Exception {
    long before = System.currentTimeMillis();
    AwsCli.Result published =
        aws.run(
            "iot-data",
            "publish",
            "--topic",
            "itd/retained/lamp",
            "--qos",
            "1",
            "--retain",
            "--payload",
            "on",
            "--cli-binary-format",
            "raw-in-base64-out");
    assertThat(published.exitCode()).as(published.toString()).isZero();

    AwsCli.Result got = aws.run("iot-data", "get-retained-message", "--topic", "itd/retained/lamp");

    assertThat(got.exitCode()).as(got.toString()).isZero();
    JsonNode message = got.json();
    assertThat(message.path("topic").asText()).isEqualTo("itd/retained/lamp");
    // The CLI prints blobs as base64.
    assertThat(text(Base64.getDecoder().decode(message.path("payload").asText()))).isEqualTo("on");
    assertThat(message.path("qos").asInt()).isEqualTo(1);
    assertThat(message.path("lastModifiedTime").asLong())
        .isBetween(before, System.currentTimeMillis());

    AwsCli.Result listed = aws.run("iot-data", "list-retained-messages");

    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    JsonNode lamp = null;
    for (JsonNode item : listed.json().path("retainedTopics")) {
      if (item.path("topic").asText().equals("itd/retained/lamp")) {
        lamp = item;
      }
    }
    assertThat(lamp).as(listed.stdout()).isNotNull();
    assertThat(lamp.path("payloadSize").asLong()).isEqualTo(2);
    assertThat(lamp.path("qos").asInt()).isEqualTo(1);
    assertThat(lamp.path("lastModifiedTime").asLong())
        .isEqualTo(message.path("lastModifiedTime").asLong());

    Mqtt5AsyncClient late = Clients.hive5(clientId("itd-late"), pylon.port(MQTT)).buildAsync();
    try {
      late.connect().get(TIMEOUT, TimeUnit.SECONDS);
      CompletableFuture<Mqtt5Publish> retained = new CompletableFuture<>();
      late.subscribeWith()
          .topicFilter("itd/retained/lamp")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(retained::complete)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      Mqtt5Publish delivered = retained.get(TIMEOUT, TimeUnit.SECONDS);
      assertThat(delivered.isRetain()).isTrue();
      assertThat(text(delivered.getPayloadAsBytes())).isEqualTo("on");
    } finally {
      late.disconnect();
    }
  }

  @Test
  void listRetainedMessages_pagesThroughTheCliPaginator() {
    for (int i = 0; i < 5; i++) {
      AwsCli.Result r =
          aws.run(
              "iot-data",
              "publish",
              "--topic",
              "itd/paged/" + i,
              "--retain",
              "--payload",
              "v" + i,
              "--cli-binary-format",
              "raw-in-base64-out");
      assertThat(r.exitCode()).as(r.toString()).isZero();
    }

    AwsCli.Result listed = aws.run("iot-data", "list-retained-messages", "--page-size", "2");

    assertThat(listed.exitCode()).as(listed.toString()).isZero();
    List<String> topics = new ArrayList<>();
    listed.json().path("retainedTopics").forEach(t -> topics.add(t.path("topic").asText()));
    assertThat(topics)
        .containsSubsequence(
            "itd/paged/0", "itd/paged/1", "itd/paged/2", "itd/paged/3", "itd/paged/4")
        .doesNotHaveDuplicates();
  }

  @Test
  void missingRetainedMessage_isResourceNotFound() {
    AwsCli.Result result =
        aws.run("iot-data", "get-retained-message", "--topic", "itd/never/retained");

    assertThat(result.exitCode()).as(result.toString()).isEqualTo(254);
    assertThat(result.errorCode()).hasValue("ResourceNotFoundException");
    assertThat(result.errorOperation()).hasValue("GetRetainedMessage");
  }

  @Test
  void device_overMutualTls_isHeldToItsPolicy() throws Exception {
    Device device = pylon.registeredDevice("itd-restricted");
    String arn =
        "arn:aws:iot:"
            + pylon.server().account().region()
            + ":"
            + pylon.server().account().accountId()
            + ":topic/itd/device/allowed/*";
    pylon
        .server()
        .policies()
        .createPolicy(
            "itd-publish-allowed",
            """
            {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["iot:Publish", "iot:GetRetainedMessage"],
               "Resource": "%s"}
            ]}
            """
                .formatted(arn),
            List.of());
    pylon.server().policies().attachPolicy("itd-publish-allowed", pylon.certificateArn(device));

    Mqtt5AsyncClient subscriber =
        Clients.hive5(clientId("itd-dev-sub"), pylon.port(MQTT)).buildAsync();
    try (SSLSocket socket =
        Tls.connect(device.sslContext(), pylon.port(HTTPS), List.of(), List.of())) {
      subscriber.connect().get(TIMEOUT, TimeUnit.SECONDS);
      CompletableFuture<Mqtt5Publish> received = new CompletableFuture<>();
      subscriber
          .subscribeWith()
          .topicFilter("itd/device/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(received::complete)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);

      RawHttp.Response denied =
          RawHttp.exchange(socket, post("/topics/itd%2Fdevice%2Fdenied?qos=1", "no"));
      assertThat(denied.status()).as(denied.body()).isEqualTo(403);
      assertThat(denied.header("x-amzn-ErrorType")).hasValue("ForbiddenException");
      assertThat(denied.body()).contains("iot:Publish");

      RawHttp.Response retainDenied =
          RawHttp.exchange(socket, post("/topics/itd%2Fdevice%2Fallowed%2Fx?retain=true", "no"));
      assertThat(retainDenied.status()).isEqualTo(403);
      assertThat(retainDenied.body()).contains("iot:RetainPublish");

      RawHttp.Response list = RawHttp.exchange(socket, get("/retainedMessage"));
      assertThat(list.status()).isEqualTo(403);
      assertThat(list.header("x-amzn-ErrorType")).hasValue("ForbiddenException");

      RawHttp.Response allowed =
          RawHttp.exchange(socket, post("/topics/itd%2Fdevice%2Fallowed%2Fx?qos=1", "yes"));
      assertThat(allowed.status()).as(allowed.body()).isEqualTo(200);
      Mqtt5Publish message = received.get(TIMEOUT, TimeUnit.SECONDS);
      assertThat(message.getTopic().toString()).isEqualTo("itd/device/allowed/x");
      assertThat(text(message.getPayloadAsBytes())).isEqualTo("yes");

      RawHttp.Response notRetained =
          RawHttp.exchange(socket, get("/retainedMessage/itd%2Fdevice%2Fallowed%2Fx"));
      assertThat(notRetained.status()).isEqualTo(404);
      assertThat(notRetained.header("x-amzn-ErrorType")).hasValue("ResourceNotFoundException");
    } finally {
      RoundTrip.disconnectQuietly(subscriber);
    }
  }

  private static String post(String target, String body) {
    return "POST "
        + target
        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  private static String get(String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  }

  private static byte[] toArray(java.nio.ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
