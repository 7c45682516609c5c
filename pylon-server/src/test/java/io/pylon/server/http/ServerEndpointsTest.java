package io.pylon.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.pylon.http.rest.RawHttpRequest;
import io.pylon.http.rest.RestResponse;
import io.pylon.http.rest.RestRouter;
import io.pylon.http.sigv4.CredentialStore;
import io.pylon.server.transport.HttpPeer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerEndpointsTest {

  private static FullHttpRequest request(HttpMethod method, String uri, String body) {
    FullHttpRequest request =
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1, method, uri, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    request.headers().add("Host", "127.0.0.1:8443");
    request.headers().add("X-Multi", "a");
    request.headers().add("X-Multi", "b");
    return request;
  }

  @Test
  void fromNetty_keepsTheRawTargetHeadersAndBody() {
    FullHttpRequest netty = request(HttpMethod.POST, "/topics/a%2Fb?qos=1", "payload");
    try {
      RawHttpRequest raw = ServerEndpoints.fromNetty(netty, new HttpPeer(null, Optional.empty()));

      assertThat(raw.method()).isEqualTo("POST");
      assertThat(raw.target()).isEqualTo("/topics/a%2Fb?qos=1");
      assertThat(raw.headers().all("x-multi")).containsExactly("a", "b");
      assertThat(new String(raw.body(), StandardCharsets.UTF_8)).isEqualTo("payload");
      assertThat(raw.clientCertificateId()).isEmpty();
    } finally {
      netty.release();
    }
  }

  @Test
  void toNetty_carriesStatusTypeHeadersAndBody() {
    FullHttpResponse response =
        ServerEndpoints.toNetty(
            new RestResponse(
                404,
                "application/json",
                Map.of("x-amzn-ErrorType", "ResourceNotFoundException"),
                "{}".getBytes(StandardCharsets.UTF_8)));
    try {
      assertThat(response.status().code()).isEqualTo(404);
      assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
      assertThat(response.headers().get("x-amzn-ErrorType")).isEqualTo("ResourceNotFoundException");
      assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo("{}");
    } finally {
      response.release();
    }
  }

  @Test
  void metricsStayUnauthenticated_andEverythingElseGoesToTheRouter() {
    ServerEndpoints endpoints =
        new ServerEndpoints(
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            RestRouter.create(CredentialStore.of(Map.of()), Clock.systemUTC(), List.of()));
    HttpPeer peer = new HttpPeer(null, Optional.empty());

    FullHttpRequest metricsRequest = request(HttpMethod.GET, "/metrics", "");
    FullHttpResponse metrics = endpoints.handle(metricsRequest, peer);
    FullHttpRequest thingsRequest = request(HttpMethod.GET, "/things", "");
    FullHttpResponse things = endpoints.handle(thingsRequest, peer);
    try {
      assertThat(metrics.status().code()).isEqualTo(200);
      assertThat(metrics.headers().get("Content-Type")).startsWith("text/plain");
      assertThat(things.status().code()).isEqualTo(403);
      assertThat(things.headers().get("x-amzn-ErrorType"))
          .isEqualTo("MissingAuthenticationTokenException");
      assertThat(things.headers().get("x-amzn-RequestId")).isNotBlank();
    } finally {
      metricsRequest.release();
      thingsRequest.release();
      metrics.release();
      things.release();
    }
  }
}
