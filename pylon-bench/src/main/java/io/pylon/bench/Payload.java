package io.pylon.bench;

import io.netty.buffer.ByteBuf;

/**
 * Layout of a benchmark payload: the publisher's {@link System#nanoTime()} at send, the publisher's
 * index and its sequence number, then filler up to the configured size. Publishers and subscribers
 * live in the same JVM, so the receiver's {@code nanoTime()} minus the embedded one is the
 * end-to-end latency with no clock synchronisation involved.
 */
final class Payload {

  static final int HEADER_BYTES = 16;

  private Payload() {}

  static void writeHeader(byte[] target, long sentNanos, int publisher, int sequence) {
    putLong(target, 0, sentNanos);
    putInt(target, 8, publisher);
    putInt(target, 12, sequence);
  }

  static byte[] template(int size) {
    byte[] bytes = new byte[size];
    for (int i = HEADER_BYTES; i < size; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return bytes;
  }

  static boolean valid(ByteBuf payload) {
    return payload.readableBytes() >= HEADER_BYTES;
  }

  static long sentNanos(ByteBuf payload) {
    return payload.getLong(payload.readerIndex());
  }

  static int publisher(ByteBuf payload) {
    return payload.getInt(payload.readerIndex() + 8);
  }

  static int sequence(ByteBuf payload) {
    return payload.getInt(payload.readerIndex() + 12);
  }

  private static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
