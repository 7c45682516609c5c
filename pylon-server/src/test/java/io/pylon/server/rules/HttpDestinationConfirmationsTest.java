package io.pylon.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.pylon.domain.rules.TopicRuleDestination;
import io.pylon.domain.rules.TopicRuleDestinationStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpDestinationConfirmationsTest {

  private static final String ARN =
      "arn:aws:iot:us-east-1:123456789012:ruledestination/http/0f0e0d0c-0000-4000-8000-000000000001";

  private record Received(
      String method, String uri, Map<String, List<String>> headers, String body) {}

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private HttpDestinationConfirmations confirmations;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          received.add(
              new Received(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().toString(),
                  Map.copyOf(exchange.getRequestHeaders()),
                  new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
    confirmations = new HttpDestinationConfirmations();
  }

  @AfterEach
  void stop() {
    confirmations.close();
    server.stop(0);
  }

  @Test
  void send_postsTheAwsShapedConfirmation_inTheBackground() throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/confirm";
    TopicRuleDestination d =
        new TopicRuleDestination(
            ARN,
            TopicRuleDestinationStatus.IN_PROGRESS,
            "",
            Instant.EPOCH,
            Instant.EPOCH,
            url,
            Optional.of("tok/en+1"),
            Optional.of(Instant.EPOCH));

    confirmations.send(d, "tok/en+1", "https://127.0.0.1:8443/confirmdestination/tok/en+1");

    await().atMost(Duration.ofSeconds(5)).until(() -> received.size() == 1);
    Received r = received.get(0);
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.uri()).isEqualTo("/confirm?confirmationToken=tok%2Fen%2B1");
    assertThat(r.headers().get("X-amz-rules-engine-message-type"))
        .containsExactly("DestinationConfirmation");
    assertThat(r.headers().get("X-amz-rules-engine-destination-arn")).containsExactly(ARN);
    assertThat(r.headers().get("Content-type")).containsExactly("application/json");
    JsonNode body = new ObjectMapper().readTree(r.body());
    assertThat(body.get("arn").asText()).isEqualTo(ARN);
    assertThat(body.get("confirmationToken").asText()).isEqualTo("tok/en+1");
    assertThat(body.get("enableUrl").asText())
        .isEqualTo("https://127.0.0.1:8443/confirmdestination/tok/en+1");
    assertThat(body.get("messageType").asText()).isEqualTo("DestinationConfirmation");
  }

  @Test
  @org.junit.jupiter.api.Timeout(30)
  void send_returnsWhileTheEndpointStillHoldsTheRequest() throws Exception {
    java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    HttpServer slow =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    slow.createContext(
        "/",
        exchange -> {
          arrived.countDown();
          try {
            release.await(20, java.util.concurrent.TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    slow.start();
    try {
      TopicRuleDestination d =
          new TopicRuleDestination(
              ARN,
              TopicRuleDestinationStatus.IN_PROGRESS,
              "",
              Instant.EPOCH,
              Instant.EPOCH,
              "http://127.0.0.1:" + slow.getAddress().getPort() + "/slow",
              Optional.of("t"),
              Optional.of(Instant.EPOCH));

      // Returns although the endpoint answers only after this test releases it: were the send
      // blocking, the test would never get to the release and time out.
      confirmations.send(d, "t", "https://x/confirmdestination/t");

      assertThat(arrived.await(20, java.util.concurrent.TimeUnit.SECONDS))
          .as("the confirmation was sent")
          .isTrue();
    } finally {
      release.countDown();
      slow.stop(0);
    }
  }

  @Test
  void send_toAnUnreachableEndpoint_doesNotThrow() {
    TopicRuleDestination d =
        new TopicRuleDestination(
            ARN,
            TopicRuleDestinationStatus.IN_PROGRESS,
            "",
            Instant.EPOCH,
            Instant.EPOCH,
            "http://127.0.0.1:1/nothing-listens",
            Optional.of("t"),
            Optional.of(Instant.EPOCH));

    assertThatCode(() -> confirmations.send(d, "t", "https://x/confirmdestination/t"))
        .doesNotThrowAnyException();
  }
}
