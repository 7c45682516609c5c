package io.pylon.server.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The server's event loops: native epoll on Linux when it loads, NIO otherwise. One acceptor thread
 * and {@code io-threads} workers (one per core by default); everything on the message path runs on
 * the workers.
 */
public final class EventLoops implements AutoCloseable {

  private final boolean epoll;
  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;
  private final int workerThreads;

  public EventLoops(int workerThreads) {
    this.workerThreads = workerThreads;
    this.epoll = Epoll.isAvailable() && !Boolean.getBoolean("pylon.transport.nio");
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.acceptors =
        new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("pylon-accept"), factory);
    this.workers =
        new MultiThreadIoEventLoopGroup(
            workerThreads, new DefaultThreadFactory("pylon-io"), factory);
  }

  public boolean isEpoll() {
    return epoll;
  }

  public String transportName() {
    return epoll ? "epoll" : "nio";
  }

  public int workerThreads() {
    return workerThreads;
  }

  public EventLoopGroup acceptors() {
    return acceptors;
  }

  public EventLoopGroup workers() {
    return workers;
  }

  public Class<? extends ServerChannel> serverChannelType() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  @Override
  public void close() {
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
