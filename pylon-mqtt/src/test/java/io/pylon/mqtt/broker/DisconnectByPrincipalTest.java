package io.pylon.mqtt.broker;

import static io.pylon.mqtt.testing.Clients.hive3Connected;
import static io.pylon.mqtt.testing.Clients.hive5Builder;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.pylon.mqtt.spi.AuthResult;
import io.pylon.mqtt.spi.Authorizer;
import io.pylon.mqtt.spi.Principal;
import io.pylon.mqtt.testing.TestBroker;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** {@link MqttBroker#disconnect}: the server ends the connections of some principals. */
class DisconnectByPrincipalTest {

  /** The principal is the client id up to its first '-': "alice-1" and "alice-2" are "alice". */
  private static TestBroker broker() {
    BrokerOptions options =
        BrokerOptions.permissive()
            .withAuth(
                request -> {
                  String owner = request.clientId().split("-")[0];
                  Principal principal = () -> owner;
                  return CompletableFuture.completedFuture(AuthResult.allow(principal));
                },
                Authorizer.ALLOW_ALL);
    return new TestBroker(Profile.MQTT, options, UnaryOperator.identity());
  }

  @Test
  void disconnect_matchingPrincipals_closedWithNotAuthorized_othersStay() {
    try (TestBroker broker = broker()) {
      AtomicReference<Throwable> cause = new AtomicReference<>();
      Mqtt5BlockingClient alice5 =
          hive5Builder(broker, "alice-1")
              .addDisconnectedListener(
                  c -> {
                    if (c.getSource() == MqttDisconnectSource.SERVER) {
                      cause.set(c.getCause());
                    }
                  })
              .buildBlocking();
      alice5.connect();
      Mqtt3BlockingClient alice3 = hive3Connected(broker, "alice-2");
      Mqtt3BlockingClient bob = hive3Connected(broker, "bob-1");

      broker.broker().disconnect(p -> p.name().equals("alice"));

      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !alice5.getState().isConnected() && !alice3.getState().isConnected());
      assertThat(cause.get()).isInstanceOf(Mqtt5DisconnectException.class);
      assertThat(((Mqtt5DisconnectException) cause.get()).getMqttMessage().getReasonCode())
          .isEqualTo(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED);
      assertThat(bob.getState().isConnected()).isTrue();
      bob.disconnect();
    }
  }
}
