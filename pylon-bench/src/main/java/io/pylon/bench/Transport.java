package io.pylon.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * The load tool's sockets: one event-loop group (native epoll when the platform has it, NIO
 * otherwise) and the client pipeline {@code [TLS] → PublishCodec.FrameDecoder → MqttDecoder →
 * MqttEncoder → MqttConnection}.
 *
 * <p>Threads default to one: the tool shares the machine with the server under test, and a broker
 * that is single-threaded (Mosquitto) should not lose a core to a load generator that spins idle
 * threads.
 */
final class Transport implements AutoCloseable {

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final SslContext ssl;
  private final String host;
  private final int port;
  private final int maxPacketBytes;
  private final boolean mqtt5;
  final String name;

  Transport(LoadSettings settings) throws SSLException {
    boolean epoll = Epoll.isAvailable();
    this.name = epoll ? "epoll" : "nio";
    this.group =
        new MultiThreadIoEventLoopGroup(
            settings.threads(),
            new DefaultThreadFactory("bench-io", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.ssl = settings.tls() == null ? null : sslContext(settings.tls());
    this.host = settings.host();
    this.port = settings.port();
    // Room for the topic and MQTT 5 properties on top of the payload.
    this.maxPacketBytes = settings.payloadBytes() + 64 * 1024;
    this.mqtt5 = settings.version() == MqttVersion.MQTT_5;
    this.bootstrap =
        new Bootstrap()
            .group(group)
            .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  ChannelFuture connect(MqttConnection connection) {
    return bootstrap
        .clone()
        .handler(
            new ChannelInitializer<Channel>() {
              @Override
              protected void initChannel(Channel ch) {
                ChannelPipeline p = ch.pipeline();
                if (ssl != null) {
                  p.addLast("tls", ssl.newHandler(ch.alloc(), host, port));
                }
                p.addLast("frames", new PublishCodec.FrameDecoder(maxPacketBytes, mqtt5));
                p.addLast("decoder", new MqttDecoder(maxPacketBytes));
                p.addLast("encoder", MqttEncoder.INSTANCE);
                p.addLast("mqtt", connection);
              }
            })
        .connect(host, port);
  }

  List<EventLoop> loops() {
    List<EventLoop> loops = new ArrayList<>();
    group.forEach(e -> loops.add((EventLoop) e));
    return loops;
  }

  EventLoop anyLoop() {
    return group.next();
  }

  /** Stops the threads; after this returns, everything they wrote is visible to the caller. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  private static SslContext sslContext(TlsSettings tls) throws SSLException {
    SslContextBuilder b = SslContextBuilder.forClient();
    if (tls.caFile() != null) {
      b.trustManager(tls.caFile().toFile()).endpointIdentificationAlgorithm("HTTPS");
    } else {
      b.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
    }
    if (tls.certFile() != null) {
      b.keyManager(tls.certFile().toFile(), tls.keyFile().toFile());
    }
    return b.build();
  }
}
