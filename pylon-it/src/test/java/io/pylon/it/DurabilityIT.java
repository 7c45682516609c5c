package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.MQTT;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static io.pylon.it.harness.SessionTraffic.assertQueueDelivered311;
import static io.pylon.it.harness.SessionTraffic.assertQueueDelivered5;
import static io.pylon.it.harness.SessionTraffic.publishQos1;
import static io.pylon.it.harness.SessionTraffic.retain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.ServerProcess;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.store.Database;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What survives a restart on the same data directory.
 *
 * <h2>Clean stop ({@code close()}, SIGTERM)</h2>
 *
 * Everything: the broker disconnects clients, then writes every persistent session (subscriptions
 * and queued messages) and every retained change before the database closes.
 *
 * <h2>{@code kill -9}</h2>
 *
 * The broker writes state to the embedded database off the event loops (BrokerPersistence):
 *
 * <ul>
 *   <li>a retained message (or its clearing) is written as soon as the persistence thread gets to
 *       it, normally within milliseconds, "within about a second" at worst;
 *   <li>persistent sessions that changed (subscriptions, queued QoS 1/2 messages, in-flight state)
 *       are written once per second (SESSION_FLUSH_INTERVAL 1 s);
 *   <li>each write is durable against a killed process once it returns (H2 CHECKPOINT after every
 *       write, see EmbeddedDurability) but not against power loss.
 * </ul>
 *
 * So a change acknowledged more than about one second before the kill survives it; a change made
 * within the last second may or may not. {@link #killMinus9KeepsWhatWasFlushed} asserts exactly
 * that guarantee: it waits two flush intervals after the last acknowledgement, and it checks that
 * the database file was written in between (so the wait is not blind). It asserts nothing about
 * changes made in the last second before the kill.
 */
class DurabilityIT {

  /** A fresh server per test: these tests restart it. */
  @RegisterExtension final PylonServerExtension pylon = new PylonServerExtension();

  /** The broker's session flush interval (MqttBroker.SESSION_FLUSH_INTERVAL_MILLIS). */
  private static final Duration FLUSH_INTERVAL = Duration.ofSeconds(1);

  private static final long TIMEOUT = RoundTrip.TIMEOUT_SECONDS;

  @Test
  void retainedMessagesSurviveACleanRestart() throws Exception {
    Mqtt5AsyncClient publisher =
        Clients.hive5(clientId("retain-pub"), pylon.port(MQTT)).buildAsync();
    publisher.connect().get(TIMEOUT, TimeUnit.SECONDS);
    retain(publisher, "dur/retained/a", "alpha", "durability-it");
    retain(publisher, "dur/retained/b", "beta", null);
    retain(publisher, "dur/retained/cleared", "to be cleared", null);
    retain(
        publisher, "dur/retained/cleared", "", null); // an empty retained message clears the topic
    publisher.disconnect().get(TIMEOUT, TimeUnit.SECONDS);

    pylon.restart();

    assertThat(pylon.server().broker().retainedMessages())
        .extracting(ApplicationMessage::topic)
        .containsExactly("dur/retained/a", "dur/retained/b");

    Mqtt5AsyncClient subscriber =
        Clients.hive5(clientId("retain-sub"), pylon.port(MQTT)).buildAsync();
    try {
      subscriber.connect().get(TIMEOUT, TimeUnit.SECONDS);
      BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
      subscriber
          .subscribeWith()
          .topicFilter("dur/retained/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(received::add)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      List<Mqtt5Publish> messages = List.of(take(received), take(received));
      Mqtt5Publish a =
          messages.stream()
              .filter(m -> m.getTopic().toString().endsWith("/a"))
              .findFirst()
              .orElseThrow();
      Mqtt5Publish b =
          messages.stream()
              .filter(m -> m.getTopic().toString().endsWith("/b"))
              .findFirst()
              .orElseThrow();
      assertThat(a.isRetain()).isTrue();
      assertThat(text(a)).isEqualTo("alpha");
      // MQTT 5 properties of a retained message are part of it and must come back too.
      assertThat(a.getContentType())
          .hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("text/plain"));
      assertThat(List.<Mqtt5UserProperty>copyOf(a.getUserProperties().asList()))
          .containsExactly(Mqtt5UserProperty.of("origin", "durability-it"));
      assertThat(text(b)).isEqualTo("beta");
      assertThat(b.getUserProperties().asList()).isEmpty();
    } finally {
      RoundTrip.disconnectQuietly(subscriber);
    }
  }

  @Test
  void mqtt311PersistentSessionAndItsQueuedMessagesSurviveACleanRestart() throws Exception {
    String id = clientId("persistent-311");
    String topic = "dur/session311";
    Mqtt3AsyncClient subscriber = Clients.hive3(id, pylon.port(MQTT)).buildAsync();
    assertThat(
            subscriber
                .connectWith()
                .cleanSession(false)
                .send()
                .get(TIMEOUT, TimeUnit.SECONDS)
                .isSessionPresent())
        .isFalse();
    subscriber
        .subscribeWith()
        .topicFilter(topic)
        .qos(MqttQos.AT_LEAST_ONCE)
        .send()
        .get(TIMEOUT, TimeUnit.SECONDS);
    subscriber.disconnect().get(TIMEOUT, TimeUnit.SECONDS);

    publishQos1(pylon.port(MQTT), topic, 3); // queued in the offline session

    pylon.restart();

    assertQueueDelivered311(id, pylon.port(MQTT), topic, 3);
  }

  @Test
  void mqtt5SessionWithExpirySurvivesACleanRestartAndOneWithoutDoesNot() throws Exception {
    String keep = clientId("persistent-5");
    String drop = clientId("transient-5");
    String topic = "dur/session5";
    for (String[] session : new String[][] {{keep, "3600"}, {drop, "0"}}) {
      Mqtt5AsyncClient client = Clients.hive5(session[0], pylon.port(MQTT)).buildAsync();
      client
          .connectWith()
          .cleanStart(false)
          .sessionExpiryInterval(Long.parseLong(session[1]))
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      client
          .subscribeWith()
          .topicFilter(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      client.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
    }
    publishQos1(pylon.port(MQTT), topic, 3);

    pylon.restart();

    assertQueueDelivered5(keep, pylon.port(MQTT), topic, 3);
    Mqtt5AsyncClient transientClient = Clients.hive5(drop, pylon.port(MQTT)).buildAsync();
    try {
      assertThat(
              transientClient
                  .connectWith()
                  .cleanStart(false)
                  .sessionExpiryInterval(0)
                  .send()
                  .get(TIMEOUT, TimeUnit.SECONDS)
                  .isSessionPresent())
          .as("a session with expiry 0 ends with its connection")
          .isFalse();
    } finally {
      RoundTrip.disconnectQuietly(transientClient);
    }
  }

  @Test
  void killMinus9KeepsWhatWasFlushed() throws Exception {
    Path dataDir = pylon.scratch("killed").resolve("data");
    Path logs = pylon.scratch("killed-logs");
    String id311 = clientId("killed-311");
    String id5 = clientId("killed-5");
    String topic = "kill/queued";

    try (ServerProcess first = ServerProcess.start(dataDir, logs)) {
      int port = first.ports().mqtt();
      Mqtt3AsyncClient s311 = Clients.hive3(id311, port).buildAsync();
      s311.connectWith().cleanSession(false).send().get(TIMEOUT, TimeUnit.SECONDS);
      s311.subscribeWith()
          .topicFilter(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      s311.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
      Mqtt5AsyncClient s5 = Clients.hive5(id5, port).buildAsync();
      s5.connectWith()
          .cleanStart(false)
          .sessionExpiryInterval(3600)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      s5.subscribeWith()
          .topicFilter(topic)
          .qos(MqttQos.AT_LEAST_ONCE)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      s5.disconnect().get(TIMEOUT, TimeUnit.SECONDS);

      Path database = dataDir.resolve("db").resolve(Database.EMBEDDED_FILE_NAME);
      FileTime before = Files.getLastModifiedTime(database);
      Mqtt5AsyncClient publisher = Clients.hive5(clientId("killed-pub"), port).buildAsync();
      publisher.connect().get(TIMEOUT, TimeUnit.SECONDS);
      retain(publisher, "kill/retained", "written before the kill", null);
      publisher.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
      publishQos1(port, topic, 3);

      // The guarantee is time-based (see the class comment), so its premise is elapsed time: two
      // flush intervals after the last PUBACK. The condition checked meanwhile, a write to the
      // database file, shows the persistence path is active rather than trusting the clock alone.
      await("the database to be written and two flush intervals to pass")
          .pollDelay(FLUSH_INTERVAL.multipliedBy(2))
          .atMost(Duration.ofSeconds(15))
          .until(() -> Files.getLastModifiedTime(database).compareTo(before) > 0);

      first.kill();
      assertThat(first.awaitExit(Duration.ofSeconds(15)))
          .as("exit code of SIGKILL")
          .isEqualTo(128 + 9);
    }

    try (ServerProcess second = ServerProcess.start(dataDir, logs)) {
      int port = second.ports().mqtt();
      Mqtt5AsyncClient reader = Clients.hive5(clientId("killed-reader"), port).buildAsync();
      try {
        reader.connect().get(TIMEOUT, TimeUnit.SECONDS);
        CompletableFuture<Mqtt5Publish> retained = new CompletableFuture<>();
        reader
            .subscribeWith()
            .topicFilter("kill/retained")
            .qos(MqttQos.AT_LEAST_ONCE)
            .callback(retained::complete)
            .send()
            .get(TIMEOUT, TimeUnit.SECONDS);
        Mqtt5Publish message = retained.get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(message.isRetain()).isTrue();
        assertThat(text(message)).isEqualTo("written before the kill");
      } finally {
        RoundTrip.disconnectQuietly(reader);
      }
      assertQueueDelivered311(id311, port, topic, 3);
      assertQueueDelivered5(id5, port, topic, 3);
    }
  }

  // ------------------------------------------------------------------------------------------

  private static <T> T take(BlockingQueue<T> queue) throws InterruptedException {
    T next = queue.poll(TIMEOUT, TimeUnit.SECONDS);
    if (next == null) {
      throw new AssertionError("no message within " + TIMEOUT + " s");
    }
    return next;
  }

  private static String text(Mqtt5Publish p) {
    return text(p.getPayloadAsBytes());
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void topicRulesSurviveACleanRestart_enabledOnesRunning_disabledOnesNot() throws Exception {
    io.pylon.it.harness.AwsCli aws = io.pylon.it.harness.AwsCli.of(pylon);
    String republish =
        "\"actions\":[{\"republish\":{\"roleArn\":\"arn:aws:iam::000000000000:role/r\","
            + "\"topic\":\"dur/rules/out/${topic(3)}\"}}]}";
    assertThat(
            aws.run(
                    "iot",
                    "create-topic-rule",
                    "--rule-name",
                    "dur_enabled",
                    "--topic-rule-payload",
                    "{\"sql\":\"SELECT * FROM 'dur/rules/on'\"," + republish)
                .exitCode())
        .isZero();
    assertThat(
            aws.run(
                    "iot",
                    "create-topic-rule",
                    "--rule-name",
                    "dur_disabled",
                    "--topic-rule-payload",
                    "{\"sql\":\"SELECT * FROM 'dur/rules/off'\",\"ruleDisabled\":true," + republish)
                .exitCode())
        .isZero();

    pylon.restart();

    Mqtt5AsyncClient client = Clients.hive5(clientId("dur-rules"), pylon.port(MQTT)).buildAsync();
    try {
      client.connect().get(TIMEOUT, TimeUnit.SECONDS);
      BlockingQueue<Mqtt5Publish> out = new LinkedBlockingQueue<>();
      client
          .subscribeWith()
          .topicFilter("dur/rules/out/#")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(out::add)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      for (String topic : new String[] {"dur/rules/off", "dur/rules/on"}) {
        client
            .publishWith()
            .topic(topic)
            .qos(MqttQos.AT_LEAST_ONCE)
            .payload("{}".getBytes(StandardCharsets.UTF_8))
            .send()
            .get(TIMEOUT, TimeUnit.SECONDS);
      }

      Mqtt5Publish first = out.poll(TIMEOUT, TimeUnit.SECONDS);
      assertThat(first).as("the enabled rule runs after the restart").isNotNull();
      assertThat(first.getTopic().toString())
          .as("only the enabled rule runs, though its message was published second")
          .isEqualTo("dur/rules/out/on");
    } finally {
      client.disconnect();
    }
  }
}
