package io.pylon.server.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.ImmediateExecutor;
import io.pylon.http.rest.RestRouter;
import io.pylon.mqtt.broker.ListenerSettings;
import io.pylon.mqtt.broker.MqttBroker;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the three kinds of listener and builds their pipelines:
 *
 * <ul>
 *   <li>plain MQTT: {@code mqtt};
 *   <li>MQTT over TLS with a client certificate: {@code tls → mqtt};
 *   <li>HTTPS with ALPN: {@code tls → (x-amzn-mqtt-ca ? mqtt : http → /mqtt ? websocket → mqtt :
 *       endpoints)}, as AWS IoT's port 443.
 * </ul>
 */
public final class Listeners implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Listeners.class);
  private static final String MQTT_ALPN = "x-amzn-mqtt-ca";
  private static final int MAX_HTTP_REQUEST_BYTES = RestRouter.DEFAULT_MAX_BODY_BYTES;
  private static final int HTTP_IDLE_SECONDS = 60;

  /** A bound listener and the address it actually got. */
  public record Bound(String name, Channel channel) {
    public int port() {
      return ((InetSocketAddress) channel.localAddress()).getPort();
    }
  }

  private final EventLoops loops;
  private final MqttBroker broker;
  private final Executor handshakeTasks;
  private final List<Bound> bound = new ArrayList<>();

  public Listeners(EventLoops loops, MqttBroker broker) {
    this(loops, broker, ImmediateExecutor.INSTANCE);
  }

  /**
   * @param handshakeTasks where TLS handshake work runs (key exchange, client certificate checks
   *     that look up the certificate's registration), so that it does not block the event loops
   */
  public Listeners(EventLoops loops, MqttBroker broker, Executor handshakeTasks) {
    this.loops = loops;
    this.broker = broker;
    this.handshakeTasks = handshakeTasks;
  }

  public Bound bindMqtt(InetSocketAddress address, ListenerSettings settings) {
    return bind(
        address,
        settings.name(),
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            broker.initPipeline(ch.pipeline(), settings);
          }
        });
  }

  public Bound bindMqtts(InetSocketAddress address, ListenerSettings settings, SslContext tls) {
    return bind(
        address,
        settings.name(),
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), handshakeTasks));
            broker.initPipeline(ch.pipeline(), settings);
          }
        });
  }

  public Bound bindHttps(
      InetSocketAddress address,
      ListenerSettings settings,
      SslContext tls,
      UpgradeAuthenticator upgrades,
      HttpEndpoints endpoints,
      Executor httpExecutor) {
    return bind(
        address,
        settings.name(),
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast("tls", tls.newHandler(ch.alloc(), handshakeTasks));
            ch.pipeline()
                .addLast(
                    "alpn",
                    new ApplicationProtocolNegotiationHandler(ApplicationProtocolNames.HTTP_1_1) {
                      @Override
                      protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
                        ChannelPipeline p = ctx.pipeline();
                        if (MQTT_ALPN.equals(protocol)) {
                          broker.initPipeline(p, settings);
                          return;
                        }
                        p.addLast(
                            "http-idle",
                            new IdleStateHandler(0, 0, HTTP_IDLE_SECONDS, TimeUnit.SECONDS) {
                              @Override
                              protected void channelIdle(
                                  ChannelHandlerContext c,
                                  io.netty.handler.timeout.IdleStateEvent e) {
                                c.close();
                              }
                            });
                        p.addLast("http", new HttpServerCodec());
                        p.addLast(
                            "http-aggregate", new AwsShapedAggregator(MAX_HTTP_REQUEST_BYTES));
                        p.addLast(
                            "http-front", new HttpFrontHandler(upgrades, endpoints, httpExecutor));
                        p.addLast(
                            "websocket",
                            new WebSocketServerProtocolHandler(
                                WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath(HttpFrontHandler.MQTT_PATH)
                                    .subprotocols("mqtt,mqttv3.1")
                                    .checkStartsWith(true)
                                    .maxFramePayloadLength(settings.limits().maxPacketSize() + 16)
                                    .handleCloseFrames(true)
                                    .dropPongFrames(true)
                                    .build()));
                        p.addLast("websocket-mqtt", new WebSocketMqttBridge(broker, settings));
                      }
                    });
          }
        });
  }

  private Bound bind(
      InetSocketAddress address, String name, ChannelInitializer<Channel> initializer) {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loops.acceptors(), loops.workers())
            .channel(loops.serverChannelType())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(initializer);
    Channel channel = bootstrap.bind(address).syncUninterruptibly().channel();
    Bound b = new Bound(name, channel);
    bound.add(b);
    log.debug("listener {} bound to {}", name, channel.localAddress());
    return b;
  }

  public List<Bound> bound() {
    return List.copyOf(bound);
  }

  /** Stops accepting; open connections are closed by the broker's shutdown. */
  @Override
  public void close() {
    for (Bound b : bound) {
      b.channel().close().syncUninterruptibly();
    }
  }
}
