package io.pylon.server.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslHandler;
import io.pylon.mqtt.spi.TransportInfo;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first HTTP handler of the HTTPS listener: WebSocket upgrades on {@code /mqtt} are
 * authenticated here and passed on to the WebSocket handshake; every other request is answered by
 * {@link HttpEndpoints} on a bounded executor, so that storage or rendering never runs on the event
 * loop.
 */
final class HttpFrontHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final Logger log = LoggerFactory.getLogger(HttpFrontHandler.class);
  static final String MQTT_PATH = "/mqtt";

  private final UpgradeAuthenticator upgradeAuthenticator;
  private final HttpEndpoints endpoints;
  private final Executor executor;

  HttpFrontHandler(
      UpgradeAuthenticator upgradeAuthenticator, HttpEndpoints endpoints, Executor executor) {
    super(false);
    this.upgradeAuthenticator = upgradeAuthenticator;
    this.endpoints = endpoints;
    this.executor = executor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = new QueryStringDecoder(request.uri()).path();
    boolean upgrade =
        request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true);
    if (upgrade && MQTT_PATH.equals(path)) {
      UpgradeAuthenticator.Outcome outcome;
      try {
        outcome = upgradeAuthenticator.authenticate(request);
      } catch (RuntimeException e) {
        log.warn("WebSocket upgrade authentication failed with an error", e);
        outcome =
            UpgradeAuthenticator.Outcome.deny(500, "InternalFailure", "authentication failed");
      }
      if (outcome.principal() == null) {
        log.info(
            "WebSocket upgrade from {} refused: {}",
            ctx.channel().remoteAddress(),
            outcome.message());
        respond(
            ctx,
            request,
            AwsErrorResponse.of(outcome.status(), outcome.errorType(), outcome.message()));
        request.release();
        return;
      }
      ctx.channel().attr(TransportInfo.TRANSPORT_PRINCIPAL).set(outcome.principal());
      ctx.fireChannelRead(request);
      return;
    }
    HttpPeer peer = new HttpPeer(ctx.channel().remoteAddress(), clientCertificate(ctx));
    try {
      executor.execute(
          () -> {
            FullHttpResponse response;
            try {
              response = endpoints.handle(request, peer);
            } catch (RuntimeException e) {
              log.error("request {} {} failed", request.method(), path, e);
              response = AwsErrorResponse.of(500, "InternalFailure", "internal error");
            } finally {
              request.release();
            }
            FullHttpResponse r = response;
            ctx.executor().execute(() -> respond(ctx, request, r));
          });
    } catch (RejectedExecutionException e) {
      request.release();
      respond(ctx, request, AwsErrorResponse.of(429, "ThrottlingException", "Rate exceeded"));
    }
  }

  /** The certificate the client presented in the TLS handshake (optional on this listener). */
  private static Optional<X509Certificate> clientCertificate(ChannelHandlerContext ctx) {
    SslHandler tls = ctx.pipeline().get(SslHandler.class);
    if (tls == null) {
      return Optional.empty();
    }
    try {
      Certificate[] chain = tls.engine().getSession().getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509
          ? Optional.of(x509)
          : Optional.empty();
    } catch (SSLPeerUnverifiedException e) {
      return Optional.empty();
    }
  }

  private static void respond(
      ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (keepAlive) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      ctx.writeAndFlush(response);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "HTTPS connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
