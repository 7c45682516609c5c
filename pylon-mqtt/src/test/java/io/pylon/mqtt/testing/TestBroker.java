package io.pylon.mqtt.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.pylon.mqtt.broker.BrokerLimits;
import io.pylon.mqtt.broker.BrokerOptions;
import io.pylon.mqtt.broker.ListenerSettings;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.mqtt.broker.Profile;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * A broker on a plain TCP listener at 127.0.0.1 and an ephemeral port, for tests that drive it with
 * real client libraries.
 */
public final class TestBroker implements AutoCloseable {

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  private final MqttBroker broker;
  private final Channel serverChannel;
  private final ListenerSettings listener;

  public TestBroker(Profile profile) {
    this(profile, BrokerOptions.permissive(), UnaryOperator.identity());
  }

  public TestBroker(
      Profile profile, BrokerOptions options, UnaryOperator<BrokerLimits.Builder> limits) {
    BrokerLimits l = limits.apply(profile.defaultLimits().toBuilder()).build();
    this.listener = new ListenerSettings("test", profile, l, true, true, false);
    this.broker = new MqttBroker(options);
    broker.start();
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    broker.initPipeline(ch.pipeline(), listener);
                  }
                });
    this.serverChannel =
        bootstrap.bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
  }

  public int port() {
    return ((InetSocketAddress) serverChannel.localAddress()).getPort();
  }

  public String tcpUri() {
    return "tcp://127.0.0.1:" + port();
  }

  public MqttBroker broker() {
    return broker;
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    broker.shutdown(Duration.ofSeconds(5));
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
