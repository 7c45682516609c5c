package io.pylon.it;

import static io.pylon.it.harness.PylonServerExtension.MQTT;
import static io.pylon.it.harness.PylonServerExtension.clientId;
import static io.pylon.it.harness.SessionTraffic.assertQueueDelivered311;
import static io.pylon.it.harness.SessionTraffic.assertQueueDelivered5;
import static io.pylon.it.harness.SessionTraffic.publishQos1;
import static io.pylon.it.harness.SessionTraffic.retain;
import static io.pylon.it.harness.SessionTraffic.subscribe311;
import static io.pylon.it.harness.SessionTraffic.subscribe5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.pylon.it.harness.Clients;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.it.harness.RoundTrip;
import io.pylon.it.harness.ServerProcess;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.store.Database;
import io.pylon.store.testing.PostgresDatabase;
import io.pylon.store.testing.PostgresExtension;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole server on PostgreSQL ({@code storage.url}): a fresh database per test on the test JVM's
 * private PostgreSQL server, owned by an ordinary role. What {@link DurabilityIT} shows for the
 * embedded database holds here, and the state lives in PostgreSQL, not in the data directory: a
 * Pylon with a new, empty data directory on the same database carries on.
 */
class PostgresStorageIT {

  /** Registered first: its database exists before the server starts and is dropped after. */
  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @RegisterExtension
  final PylonServerExtension pylon =
      new PylonServerExtension()
          .with("storage.url", () -> postgres.database().url())
          .with("storage.username", () -> postgres.database().user())
          .with("storage.password", () -> postgres.database().password());

  private static final long TIMEOUT = RoundTrip.TIMEOUT_SECONDS;
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(40);

  @Test
  void retainedMessagesAndPersistentSessionsSurviveARestart() throws Exception {
    String id311 = clientId("pg-311");
    String id5 = clientId("pg-5");
    String queue = "pg/queue";
    Mqtt5AsyncClient publisher = Clients.hive5(clientId("pg-pub"), pylon.port(MQTT)).buildAsync();
    publisher.connect().get(TIMEOUT, TimeUnit.SECONDS);
    retain(publisher, "pg/retained/a", "alpha", "postgres-it");
    retain(publisher, "pg/retained/cleared", "to be cleared", null);
    retain(publisher, "pg/retained/cleared", "", null);
    publisher.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
    subscribe311(id311, pylon.port(MQTT), queue);
    subscribe5(id5, pylon.port(MQTT), queue);
    publishQos1(pylon.port(MQTT), queue, 3);

    pylon.restart();

    assertThat(pylon.server().broker().retainedMessages())
        .extracting(ApplicationMessage::topic)
        .containsExactly("pg/retained/a");
    try (Connection db = postgres.database().connect()) {
      assertThat(strings(db, "SELECT topic FROM mqtt_retained")).containsExactly("pg/retained/a");
      assertThat(strings(db, "SELECT client_id FROM mqtt_session")).contains(id311, id5);
    }
    assertThat(pylon.dataDir().resolve("db").resolve(Database.EMBEDDED_FILE_NAME))
        .as("no embedded database when storage.url is set")
        .doesNotExist();

    Mqtt5AsyncClient subscriber = Clients.hive5(clientId("pg-sub"), pylon.port(MQTT)).buildAsync();
    try {
      subscriber.connect().get(TIMEOUT, TimeUnit.SECONDS);
      CompletableFuture<Mqtt5Publish> retained = new CompletableFuture<>();
      subscriber
          .subscribeWith()
          .topicFilter("pg/retained/a")
          .qos(MqttQos.AT_LEAST_ONCE)
          .callback(retained::complete)
          .send()
          .get(TIMEOUT, TimeUnit.SECONDS);
      Mqtt5Publish a = retained.get(TIMEOUT, TimeUnit.SECONDS);
      assertThat(a.isRetain()).isTrue();
      assertThat(text(a.getPayloadAsBytes())).isEqualTo("alpha");
      assertThat(a.getContentType())
          .hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("text/plain"));
      assertThat(List.<Mqtt5UserProperty>copyOf(a.getUserProperties().asList()))
          .containsExactly(Mqtt5UserProperty.of("origin", "postgres-it"));
    } finally {
      RoundTrip.disconnectQuietly(subscriber);
    }
    assertQueueDelivered311(id311, pylon.port(MQTT), queue, 3);
    assertQueueDelivered5(id5, pylon.port(MQTT), queue, 3);
  }

  @Test
  void killMinus9ThenANewDataDirectory_keepsWhatPostgresHolds() throws Exception {
    Path logs = pylon.scratch("logs");
    String id311 = clientId("pg-killed-311");
    String queue = "pg/killed/queue";
    try (ServerProcess first =
        ServerProcess.start(pylon.scratch("first").resolve("data"), logs, storageArgs())) {
      assertThat(first.stdout())
          .as("the banner names the database, not the password")
          .containsPattern(
              "Database +PostgreSQL +" + Pattern.quote(postgres.database().url()) + "\n")
          .doesNotContain(postgres.database().password());
      int port = first.ports().mqtt();
      subscribe311(id311, port, queue);
      Mqtt5AsyncClient publisher = Clients.hive5(clientId("pg-killed-pub"), port).buildAsync();
      publisher.connect().get(TIMEOUT, TimeUnit.SECONDS);
      retain(publisher, "pg/killed/retained", "written before the kill", null);
      publisher.disconnect().get(TIMEOUT, TimeUnit.SECONDS);
      publishQos1(port, queue, 3);

      // Committed to PostgreSQL (the broker flushes sessions once a second): then the kill.
      try (Connection db = postgres.database().connect()) {
        await("the retained message and the queued messages to be in PostgreSQL")
            .atMost(Duration.ofSeconds(15))
            .until(
                () ->
                    strings(db, "SELECT topic FROM mqtt_retained").contains("pg/killed/retained")
                        && strings(
                                    db,
                                    "SELECT seq FROM mqtt_pending_message WHERE client_id = '"
                                        + id311
                                        + "'")
                                .size()
                            == 3);
      }
      first.kill();
      assertThat(first.awaitExit(Duration.ofSeconds(15))).isEqualTo(128 + 9);
    }

    try (ServerProcess second =
        ServerProcess.start(pylon.scratch("second").resolve("data"), logs, storageArgs())) {
      int port = second.ports().mqtt();
      Mqtt5AsyncClient reader = Clients.hive5(clientId("pg-killed-reader"), port).buildAsync();
      try {
        reader.connect().get(TIMEOUT, TimeUnit.SECONDS);
        CompletableFuture<Mqtt5Publish> retained = new CompletableFuture<>();
        reader
            .subscribeWith()
            .topicFilter("pg/killed/retained")
            .qos(MqttQos.AT_LEAST_ONCE)
            .callback(retained::complete)
            .send()
            .get(TIMEOUT, TimeUnit.SECONDS);
        assertThat(text(retained.get(TIMEOUT, TimeUnit.SECONDS).getPayloadAsBytes()))
            .isEqualTo("written before the kill");
      } finally {
        RoundTrip.disconnectQuietly(reader);
      }
      assertQueueDelivered311(id311, port, queue, 3);
    }
  }

  @Test
  void wrongPassword_isAOneLineErrorNamingTheDatabase() {
    PostgresDatabase database = postgres.database();

    ServerProcess.Result result =
        startExpectingFailure(
            "storage.url=" + database.url(),
            "storage.username=" + database.user(),
            "storage.password=not-the-password");

    assertThat(oneLineError(result))
        .isEqualTo(
            "pylon: PostgreSQL database "
                + database.url()
                + " rejected user 'pylon': password authentication failed for user \"pylon\";"
                + " check the user and password");
    assertThat(result.all()).doesNotContain("not-the-password");
  }

  @Test
  void unreachableServer_isAOneLineErrorNamingTheDatabase() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      closedPort = socket.getLocalPort();
    }
    String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/pylon";

    ServerProcess.Result result =
        startExpectingFailure(
            "storage.url=" + url, "storage.username=pylon", "storage.password=secret");

    assertThat(oneLineError(result))
        .isEqualTo(
            "pylon: cannot connect to PostgreSQL database "
                + url
                + ": connection refused; is PostgreSQL running and listening on TCP at that host"
                + " and port?");
  }

  // ------------------------------------------------------------------------------------------

  private static String[] storageArgs() {
    PostgresDatabase database = postgres.database();
    return new String[] {
      "--set", "storage.url=" + database.url(),
      "--set", "storage.username=" + database.user(),
      "--set", "storage.password=" + database.password()
    };
  }

  private ServerProcess.Result startExpectingFailure(String... settings) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "start",
                "--data-dir",
                pylon.scratch("refused").resolve("data").toString(),
                "--set",
                "listeners.mqtts.port=0",
                "--set",
                "listeners.https.port=0",
                "--set",
                "listeners.mqtt.port=0"));
    for (String setting : settings) {
      args.add("--set");
      args.add(setting);
    }
    ServerProcess.Result result =
        ServerProcess.run(pylon.scratch("logs"), CLI_TIMEOUT, args.toArray(String[]::new));
    assertThat(result.exitCode()).as(result.all()).isEqualTo(2);
    return result;
  }

  /** The only line on stderr; no stack trace anywhere. */
  private static String oneLineError(ServerProcess.Result result) {
    List<String> lines =
        Arrays.stream(result.stderr().split("\n")).filter(l -> !l.isBlank()).toList();
    assertThat(lines).as("stderr\n" + result.all()).hasSize(1);
    assertThat(result.all()).as("no stack trace").doesNotContainPattern("(?m)^\\s+at ");
    return lines.get(0);
  }

  private static List<String> strings(Connection db, String sql) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rows = db.createStatement().executeQuery(sql)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
