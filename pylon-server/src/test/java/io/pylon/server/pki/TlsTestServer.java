package io.pylon.server.pki;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Netty TLS server on an ephemeral loopback port that reports each handshake's outcome and, on
 * success, sends one byte so that the client learns of a rejection that TLS 1.3 only reports after
 * the client considers the handshake done.
 */
final class TlsTestServer implements AutoCloseable {

  /** What the server saw: the negotiated ALPN protocol and client certificate, or the failure. */
  record Outcome(
      Optional<String> protocol, Optional<Certificate> clientCertificate, Throwable failure) {
    boolean succeeded() {
      return failure == null;
    }
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
  private final Channel channel;

  TlsTestServer(SslContext context) throws InterruptedException {
    channel =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    SslHandler ssl = context.newHandler(ch.alloc());
                    ch.pipeline().addLast(ssl);
                    ssl.handshakeFuture()
                        .addListener(
                            f -> {
                              if (f.isSuccess()) {
                                Certificate[] peer = peerCertificates(ssl);
                                outcomes.add(
                                    new Outcome(
                                        Optional.ofNullable(ssl.applicationProtocol()),
                                        peer.length == 0 ? Optional.empty() : Optional.of(peer[0]),
                                        null));
                                ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {42}));
                              } else {
                                outcomes.add(
                                    new Outcome(Optional.empty(), Optional.empty(), f.cause()));
                                ch.close();
                              }
                            });
                  }
                })
            .bind("127.0.0.1", 0)
            .sync()
            .channel();
  }

  private static Certificate[] peerCertificates(SslHandler ssl) {
    try {
      return ssl.engine().getSession().getPeerCertificates();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      return new Certificate[0];
    }
  }

  InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  Outcome nextOutcome() throws InterruptedException {
    Outcome outcome = outcomes.poll(10, TimeUnit.SECONDS);
    if (outcome == null) {
      throw new AssertionError("no handshake outcome within 10 s");
    }
    return outcome;
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
