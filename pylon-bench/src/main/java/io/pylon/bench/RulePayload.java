package io.pylon.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The rules scenario's payload: a JSON object {@code {"pb":"<32 hex digits>","pad":"..."}} whose
 * {@code pb} member holds the send time (16 hex digits of {@link System#nanoTime()}), the publisher
 * index and the sequence (8 each). JSON, because a rule's SQL must parse the payload to select from
 * it; fixed-width hex, because the publisher rewrites it in place before every send, as with the
 * binary {@link Payload}.
 *
 * <p>Receivers do not rely on offsets: a rule re-serialises its output ({@code SELECT *, ...} adds
 * members and may reorder them), so {@link #find} looks for the {@code "pb"} member anywhere.
 */
final class RulePayload {

  private static final byte[] KEY = "\"pb\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MARKER = "\"pb\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] PAD = "\",\"pad\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final int DIGITS = 32;
  private static final int HEADER_AT = 1 + MARKER.length;

  /** {@code {"pb":"} + 32 digits + {@code ","pad":"} + {@code "}}: the size with an empty pad. */
  static final int MIN_BYTES = 1 + MARKER.length + DIGITS + PAD.length + 2;

  static final PayloadFormat FORMAT =
      new PayloadFormat() {
        @Override
        public byte[] template(int size) {
          return RulePayload.template(size);
        }

        @Override
        public void writeHeader(byte[] payload, long sentNanos, int publisher, int sequence) {
          RulePayload.writeHeader(payload, sentNanos, publisher, sequence);
        }
      };

  /** The three values a receiver needs from a payload. */
  record Header(long sentNanos, int publisher, int sequence) {}

  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private RulePayload() {}

  static byte[] template(int size) {
    if (size < MIN_BYTES) {
      throw new IllegalArgumentException(
          "a rules payload needs at least " + MIN_BYTES + " bytes, was " + size);
    }
    byte[] b = new byte[size];
    int at = 0;
    b[at++] = '{';
    System.arraycopy(MARKER, 0, b, at, MARKER.length);
    at += MARKER.length;
    for (int i = 0; i < DIGITS; i++) {
      b[at++] = '0';
    }
    System.arraycopy(PAD, 0, b, at, PAD.length);
    at += PAD.length;
    while (at < size - 2) {
      b[at] = (byte) ('a' + at % 26);
      at++;
    }
    b[at++] = '"';
    b[at] = '}';
    return b;
  }

  static void writeHeader(byte[] target, long sentNanos, int publisher, int sequence) {
    putHex(target, HEADER_AT, sentNanos, 16);
    putHex(target, HEADER_AT + 16, publisher & 0xffffffffL, 8);
    putHex(target, HEADER_AT + 24, sequence & 0xffffffffL, 8);
  }

  /**
   * The header of a payload (or of a rule's output that kept the member), or null. Whitespace
   * around the member's colon is allowed, as JSON allows it.
   */
  static Header find(ByteBuf buf) {
    int end = buf.writerIndex();
    for (int i = buf.readerIndex(); i + KEY.length <= end; i++) {
      if (!startsWith(buf, i, KEY)) {
        continue;
      }
      int at = skipSpaces(buf, i + KEY.length, end);
      if (at >= end || buf.getByte(at) != ':') {
        continue;
      }
      at = skipSpaces(buf, at + 1, end);
      if (at >= end || buf.getByte(at) != '"' || at + 1 + DIGITS > end) {
        continue;
      }
      at++;
      if (!allHex(buf, at, DIGITS)) {
        return null;
      }
      return new Header(hex(buf, at, 16), (int) hex(buf, at + 16, 8), (int) hex(buf, at + 24, 8));
    }
    return null;
  }

  private static int skipSpaces(ByteBuf buf, int at, int end) {
    while (at < end) {
      byte b = buf.getByte(at);
      if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
        break;
      }
      at++;
    }
    return at;
  }

  private static boolean startsWith(ByteBuf buf, int at, byte[] bytes) {
    for (int k = 0; k < bytes.length; k++) {
      if (buf.getByte(at + k) != bytes[k]) {
        return false;
      }
    }
    return true;
  }

  private static boolean allHex(ByteBuf buf, int at, int digits) {
    for (int k = 0; k < digits; k++) {
      if (Character.digit(buf.getByte(at + k), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  private static long hex(ByteBuf buf, int at, int digits) {
    long v = 0;
    for (int k = 0; k < digits; k++) {
      v = v << 4 | Character.digit(buf.getByte(at + k), 16);
    }
    return v;
  }

  private static void putHex(byte[] b, int at, long v, int digits) {
    for (int k = digits - 1; k >= 0; k--) {
      b[at + k] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }
}
