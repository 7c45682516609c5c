package io.pylon.mqtt.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;

/**
 * Ways to break an encoded packet. Each targets a different layer: framing (remaining length,
 * truncation), the fixed header (type, flags, QoS 3), the variable header and payload (bit flips
 * after the fixed header, invalid UTF-8 in strings), or everything at once (random bytes).
 */
final class Mutator {

  enum Kind {
    BIT_FLIP,
    BODY_BIT_FLIP,
    TRUNCATE,
    LENGTH_CORRUPT,
    HUGE_LENGTH,
    QOS_3,
    FLAGS,
    TYPE,
    RANDOM_BYTES,
    INVALID_UTF8,
    SPLICE,
    DUPLICATE
  }

  private static final Kind[] KINDS = Kind.values();

  /** Sequences a strict UTF-8 decoder must refuse, all four bytes long to keep framing intact. */
  private static final byte[][] INVALID_UTF8 = {
    {(byte) 0xC3, 0x28, 0x41, 0x41}, // 2-byte lead without continuation
    {(byte) 0xED, (byte) 0xA0, (byte) 0x80, 0x41}, // UTF-16 surrogate encoded as UTF-8
    {(byte) 0xFF, (byte) 0xFE, 0x41, 0x41}, // bytes that never occur in UTF-8
    {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}, // 5-byte form
    {(byte) 0xC0, (byte) 0xAF, 0x41, 0x41}, // overlong '/'
    {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
    {0x00, 0x41, 0x41, 0x41}, // U+0000, forbidden in MQTT strings
    {(byte) 0xEF, (byte) 0xBF, (byte) 0xBF, 0x41}, // U+FFFF, a non-character
  };

  private final Random random;

  Mutator(Random random) {
    this.random = random;
  }

  Kind randomKind() {
    return KINDS[random.nextInt(KINDS.length)];
  }

  /** A mutated copy; {@code other} is a second packet for splicing. */
  byte[] mutate(Kind kind, byte[] packet, byte[] other) {
    byte[] p = packet.clone();
    switch (kind) {
      case BIT_FLIP:
        return flipBits(p, 0);
      case BODY_BIT_FLIP:
        return flipBits(p, headerLength(p));
      case TRUNCATE:
        return Arrays.copyOf(p, random.nextInt(p.length));
      case LENGTH_CORRUPT:
        return withRemainingLength(p, corruptLength(p.length - headerLength(p)));
      case HUGE_LENGTH:
        return hugeLength(p);
      case QOS_3:
        p[0] |= 0x06;
        return p;
      case FLAGS:
        p[0] = (byte) ((p[0] & 0xF0) | random.nextInt(16));
        return p;
      case TYPE:
        p[0] = (byte) ((random.nextInt(16) << 4) | (p[0] & 0x0F));
        return p;
      case RANDOM_BYTES:
        return randomBytes();
      case INVALID_UTF8:
        return invalidUtf8(p);
      case SPLICE:
        return splice(p, other);
      case DUPLICATE:
        return concat(p, p, random.nextBoolean() ? p : new byte[0]);
      default:
        throw new AssertionError(kind);
    }
  }

  byte[] randomBytes() {
    byte[] b = new byte[1 + random.nextInt(random.nextInt(10) == 0 ? 2048 : 64)];
    random.nextBytes(b);
    return b;
  }

  private byte[] flipBits(byte[] p, int from) {
    if (from >= p.length) {
      return flipBits(p, 0);
    }
    for (int i = 1 + random.nextInt(4); i > 0; i--) {
      int at = from + random.nextInt(p.length - from);
      p[at] ^= (byte) (1 << random.nextInt(8));
    }
    return p;
  }

  private int corruptLength(int actual) {
    switch (random.nextInt(5)) {
      case 0:
        return 0;
      case 1:
        return Math.max(0, actual - 1 - random.nextInt(Math.max(1, actual)));
      case 2:
        return actual + 1 + random.nextInt(64);
      case 3:
        return random.nextInt(1 << 21);
      default:
        return random.nextInt(268_435_456);
    }
  }

  /**
   * A fixed header announcing up to 256 MB, followed by a little data: must fail fast, not buffer.
   */
  private byte[] hugeLength(byte[] p) {
    byte[] body = Arrays.copyOfRange(p, headerLength(p), p.length);
    if (random.nextBoolean()) {
      // Five length bytes: more than the four the specification allows.
      return concat(
          new byte[] {p[0], (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}, body);
    }
    return concat(new byte[] {p[0], (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}, body);
  }

  private byte[] invalidUtf8(byte[] p) {
    byte[] bad = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
    int at = indexOf(p, PacketCorpus.UTF8_MARKER_BYTES);
    if (at >= 0) {
      System.arraycopy(bad, 0, p, at, bad.length);
      return p;
    }
    // No string marker in this packet: overwrite somewhere after the fixed header.
    int from = headerLength(p);
    if (p.length - from < bad.length) {
      return p;
    }
    System.arraycopy(
        bad, 0, p, from + random.nextInt(p.length - from - bad.length + 1), bad.length);
    return p;
  }

  private byte[] splice(byte[] a, byte[] b) {
    int cutA = random.nextInt(a.length + 1);
    int cutB = random.nextInt(b.length + 1);
    return concat(Arrays.copyOf(a, cutA), Arrays.copyOfRange(b, cutB, b.length));
  }

  /** Length of the fixed header: the type byte plus the remaining-length varint (1..4 bytes). */
  static int headerLength(byte[] p) {
    int i = 1;
    while (i < p.length && i < 5 && (p[i] & 0x80) != 0) {
      i++;
    }
    return Math.min(p.length, i + 1);
  }

  static byte[] withRemainingLength(byte[] p, int length) {
    byte[] body = Arrays.copyOfRange(p, headerLength(p), p.length);
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 5);
    out.write(p[0]);
    int v = length;
    do {
      int digit = v & 0x7F;
      v >>>= 7;
      out.write(v > 0 ? digit | 0x80 : digit);
    } while (v > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] part : parts) {
      n += part.length;
    }
    byte[] out = new byte[n];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, out, at, part.length);
      at += part.length;
    }
    return out;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
