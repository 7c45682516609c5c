package io.pylon.mqtt.fuzz;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link EmbeddedChannel} that looks like an accepted TCP connection to the broker and audits
 * every buffer allocated through it.
 *
 * <p>The peer address is an {@link InetSocketAddress}, as on every real listener, so the fuzzer
 * runs the same code as production rather than the non-inet path that {@code
 * PacketFuzzTest#connect_is_answered_on_a_channel_without_an_inet_address} covers. The audit makes
 * a leak deterministic and attributable to the case that caused it, where Netty's leak detector
 * only reports after some later GC.
 */
final class FuzzChannel extends EmbeddedChannel {

  private static final InetSocketAddress REMOTE =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 50_000);
  private static final InetSocketAddress LOCAL =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 1883);

  FuzzChannel(ChannelHandler initializer) {
    super(EmbeddedChannel.builder().handlers(initializer));
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return REMOTE;
  }

  @Override
  protected SocketAddress localAddress0() {
    return LOCAL;
  }

  /**
   * Hands out unpooled heap buffers and remembers them. Unpooled on purpose: pooled buffer objects
   * are recycled, so a released one can show a non-zero reference count again as someone else's
   * buffer, which would make the audit report false leaks.
   */
  static final class TrackingAllocator implements ByteBufAllocator {
    // Leak detection stays on for these, so Netty's detector watches them too.
    private final UnpooledByteBufAllocator delegate = new UnpooledByteBufAllocator(false, false);
    private final List<ByteBuf> allocated = new ArrayList<>();

    private <T extends ByteBuf> T track(T buf) {
      allocated.add(buf);
      return buf;
    }

    /** Buffers allocated since the last call that still hold a reference; forgets all of them. */
    List<ByteBuf> unreleasedAndReset() {
      List<ByteBuf> live = new ArrayList<>();
      for (ByteBuf b : allocated) {
        if (b.refCnt() != 0) {
          live.add(b);
        }
      }
      allocated.clear();
      return live;
    }

    @Override
    public ByteBuf buffer() {
      return track(delegate.heapBuffer());
    }

    @Override
    public ByteBuf buffer(int initialCapacity) {
      return track(delegate.heapBuffer(initialCapacity));
    }

    @Override
    public ByteBuf buffer(int initialCapacity, int maxCapacity) {
      return track(delegate.heapBuffer(initialCapacity, maxCapacity));
    }

    @Override
    public ByteBuf ioBuffer() {
      return buffer();
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity) {
      return buffer(initialCapacity);
    }

    @Override
    public ByteBuf ioBuffer(int initialCapacity, int maxCapacity) {
      return buffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf heapBuffer() {
      return buffer();
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity) {
      return buffer(initialCapacity);
    }

    @Override
    public ByteBuf heapBuffer(int initialCapacity, int maxCapacity) {
      return buffer(initialCapacity, maxCapacity);
    }

    @Override
    public ByteBuf directBuffer() {
      return buffer();
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity) {
      return buffer(initialCapacity);
    }

    @Override
    public ByteBuf directBuffer(int initialCapacity, int maxCapacity) {
      return buffer(initialCapacity, maxCapacity);
    }

    @Override
    public CompositeByteBuf compositeBuffer() {
      return track(delegate.compositeHeapBuffer());
    }

    @Override
    public CompositeByteBuf compositeBuffer(int maxNumComponents) {
      return track(delegate.compositeHeapBuffer(maxNumComponents));
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer() {
      return compositeBuffer();
    }

    @Override
    public CompositeByteBuf compositeHeapBuffer(int maxNumComponents) {
      return compositeBuffer(maxNumComponents);
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer() {
      return compositeBuffer();
    }

    @Override
    public CompositeByteBuf compositeDirectBuffer(int maxNumComponents) {
      return compositeBuffer(maxNumComponents);
    }

    @Override
    public boolean isDirectBufferPooled() {
      return false;
    }

    @Override
    public int calculateNewCapacity(int minNewCapacity, int maxCapacity) {
      return delegate.calculateNewCapacity(minNewCapacity, maxCapacity);
    }
  }
}
