package io.pylon.server.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.pylon.http.rest.RawHttpRequest;
import io.pylon.http.rest.RestResponse;
import io.pylon.http.rest.RestRouter;
import io.pylon.http.sigv4.SigV4Headers;
import io.pylon.server.auth.CertificatePrincipal;
import io.pylon.server.transport.HttpEndpoints;
import io.pylon.server.transport.HttpPeer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The HTTPS listener's endpoints other than MQTT over WebSocket: {@code GET /metrics} (Prometheus
 * text format, unauthenticated like most exporters; bind to loopback or firewall it) and, for
 * everything else, the AWS REST APIs through {@link RestRouter}. This is where Netty's request and
 * response types are translated, so the REST layer never sees them.
 */
public final class ServerEndpoints implements HttpEndpoints {

  private final PrometheusMeterRegistry metrics;
  private final RestRouter rest;

  public ServerEndpoints(PrometheusMeterRegistry metrics, RestRouter rest) {
    this.metrics = metrics;
    this.rest = rest;
  }

  @Override
  public FullHttpResponse handle(FullHttpRequest request, HttpPeer peer) {
    if (request.method().equals(HttpMethod.GET)
        && new QueryStringDecoder(request.uri()).path().equals("/metrics")) {
      return metrics();
    }
    return toNetty(rest.handle(fromNetty(request, peer)));
  }

  private FullHttpResponse metrics() {
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

  static RawHttpRequest fromNetty(FullHttpRequest request, HttpPeer peer) {
    SigV4Headers.Builder headers = SigV4Headers.builder();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.add(h.getKey(), h.getValue());
    }
    return new RawHttpRequest(
        request.method().name(),
        request.uri(),
        headers.build(),
        ByteBufUtil.getBytes(request.content()),
        peer.clientCertificate().map(CertificatePrincipal::certificateId));
  }

  static FullHttpResponse toNetty(RestResponse response) {
    FullHttpResponse out =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(response.status()),
            Unpooled.wrappedBuffer(response.body()));
    if (!response.contentType().isEmpty()) {
      out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    }
    response.headers().forEach((name, value) -> out.headers().set(name, value));
    return out;
  }
}
