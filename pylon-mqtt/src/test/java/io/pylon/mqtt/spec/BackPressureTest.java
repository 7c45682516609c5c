package io.pylon.mqtt.spec;

import static io.pylon.mqtt.testing.Clients.hive5Connected;
import static io.pylon.mqtt.testing.DropMetrics.dropped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.Profile;
import io.pylon.mqtt.testing.TestBroker;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Slow consumers and connection floods: a client that stops reading must not grow the server's
 * memory without bound nor slow down anyone else, and a burst of new connections beyond the
 * listener's rate is refused.
 */
class BackPressureTest {

  private static final String TOPIC = "bp/t";
  private static final int PAYLOAD_BYTES = 2048;

  /** MQTT 3.1.1 CONNECT, client id "slow", clean session, keep-alive 60 s. */
  private static final byte[] CONNECT_SLOW = {
    0x10, 0x10, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0, 60, 0, 4, 's', 'l', 'o', 'w'
  };

  private static byte[] subscribe(int qos) {
    return new byte[] {(byte) 0x82, 9, 0, 1, 0, 4, 'b', 'p', '/', 't', (byte) qos};
  }

  /**
   * Connects and subscribes a raw client with a tiny receive buffer, then never reads again: the
   * server's socket and outbound buffers fill up.
   */
  private static Socket stalledSubscriber(int port, int qos) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4096);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    socket.getOutputStream().write(CONNECT_SLOW);
    socket.getOutputStream().write(subscribe(qos));
    DataInputStream in = new DataInputStream(socket.getInputStream());
    byte[] connAck = new byte[4];
    in.readFully(connAck);
    assertThat(connAck).containsExactly(0x20, 2, 0, 0);
    byte[] subAck = new byte[5];
    in.readFully(subAck);
    assertThat(subAck).containsExactly(0x90, 3, 0, 1, qos);
    return socket;
  }

  @Test
  void slowConsumer_qos0_droppedAndCountedWhileOthersReceiveEverything() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    int messages = 4000;
    try (TestBroker broker =
            new TestBroker(
                Profile.MQTT,
                BrokerOptions.permissive().withMeters(meters),
                l -> l.set("max-outbound-bytes", "65536"));
        Socket slow = stalledSubscriber(broker.port(), 0)) {
      Mqtt5BlockingClient healthy = hive5Connected(broker, "healthy");
      AtomicInteger received = new AtomicInteger();
      healthy.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> received.incrementAndGet());
      healthy.subscribeWith().topicFilter(TOPIC).qos(MqttQos.AT_LEAST_ONCE).send();
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      byte[] payload = new byte[PAYLOAD_BYTES];
      for (int i = 0; i < messages; i++) {
        pub.publishWith().topic(TOPIC).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
      }

      await().atMost(Duration.ofSeconds(30)).until(() -> received.get() == messages);
      // 8 MB offered to a client reading nothing: the kernel buffers and the 64 KB outbound limit
      // take a fraction, the rest is dropped, and the drops are visible.
      assertThat(dropped(meters, "slow_consumer")).isGreaterThan(0);
      assertThat(received.get()).isEqualTo(messages);
      pub.disconnect();
      healthy.disconnect();
    }
  }

  @Test
  void slowConsumer_qos1_queuedToTheLimitThenDropped() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    int messages = 4000;
    int maxQueued = 100;
    try (TestBroker broker =
            new TestBroker(
                Profile.MQTT,
                BrokerOptions.permissive().withMeters(meters),
                l ->
                    l.set("max-outbound-bytes", "65536")
                        .set("max-queued-messages", Integer.toString(maxQueued)));
        Socket slow = stalledSubscriber(broker.port(), 1)) {
      Mqtt5BlockingClient pub = hive5Connected(broker, "pub");
      byte[] payload = new byte[PAYLOAD_BYTES];
      for (int i = 0; i < messages; i++) {
        pub.publishWith().topic(TOPIC).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
      }

      await().atMost(Duration.ofSeconds(10)).until(() -> dropped(meters, "queue_full") > 0);
      double queued = meters.get("pylon.mqtt.queued.messages").gauge().value();
      assertThat(queued).isLessThanOrEqualTo(maxQueued);
      assertThat(dropped(meters, "slow_consumer")).as("QoS 1 is never dropped as slow").isZero();
      pub.disconnect();
    }
  }

  @Test
  void connectionFlood_beyondTheListenerRate_isRefused() throws Exception {
    int perSecond = 5;
    int attempts = 50;
    try (TestBroker broker =
        new TestBroker(
            Profile.MQTT,
            BrokerOptions.permissive(),
            l -> l.set("max-connects-per-second", Integer.toString(perSecond)))) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < attempts; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", broker.port()), 5000);
          s.setSoTimeout(5000);
          byte[] connect = CONNECT_SLOW.clone();
          connect[17] = (byte) ('a' + i % 26); // distinct client ids: no takeovers
          connect[16] = (byte) ('a' + i / 26);
          s.getOutputStream().write(connect);
          sockets.add(s);
        }
        int accepted = 0;
        int refused = 0;
        for (Socket s : sockets) {
          if (readConnAck(s.getInputStream())) {
            accepted++;
          } else {
            refused++;
          }
        }
        assertThat(accepted).as("the burst allowance").isGreaterThanOrEqualTo(perSecond);
        assertThat(refused).as("connections beyond the rate").isGreaterThan(0);
        assertThat(accepted + refused).isEqualTo(attempts);
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  /** True for a CONNACK, false when the server closed the connection without one. */
  private static boolean readConnAck(InputStream in) throws IOException {
    try {
      int first = in.read();
      return first == 0x20;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("neither CONNACK nor close within the timeout", e);
    } catch (IOException reset) {
      return false;
    }
  }
}
