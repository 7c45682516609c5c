package io.pylon.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.pylon.server.transport.AwsErrorResponse;
import io.pylon.server.transport.HttpEndpoints;
import java.nio.charset.StandardCharsets;

/**
 * The HTTPS listener's endpoints other than MQTT over WebSocket: {@code /metrics} (Prometheus text
 * format, unauthenticated like most exporters; bind to loopback or firewall it) and, for anything
 * else, an AWS-shaped error until the REST APIs serve it.
 */
public final class ServerEndpoints implements HttpEndpoints {

  private final PrometheusMeterRegistry metrics;

  public ServerEndpoints(PrometheusMeterRegistry metrics) {
    this.metrics = metrics;
  }

  @Override
  public FullHttpResponse handle(FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    if (path.equals("/metrics") && request.method().equals(HttpMethod.GET)) {
      FullHttpResponse response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1,
              HttpResponseStatus.OK,
              Unpooled.copiedBuffer(metrics.scrape(), StandardCharsets.UTF_8));
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8");
      return response;
    }
    return AwsErrorResponse.of(
        404, "UnknownOperationException", "No operation matches " + request.method() + " " + path);
  }
}
