package io.pylon.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * MQTT packets written and read by hand, for tests that must see the bytes on the wire (ALPN,
 * refused connections) without a client library deciding what to do with them.
 */
public final class RawMqtt {

  private RawMqtt() {}

  /** CONNECT, MQTT 3.1.1, clean session, keep-alive 60 s. */
  public static byte[] connectV311(String clientId) {
    return connect(4, clientId, false);
  }

  /** CONNECT, MQTT 5, clean start, keep-alive 60 s, no properties. */
  public static byte[] connectV5(String clientId) {
    return connect(5, clientId, true);
  }

  private static byte[] connect(int level, String clientId, boolean properties) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT");
    body.write(level);
    body.write(0x02); // clean session / clean start
    body.write(0);
    body.write(60);
    if (properties) {
      body.write(0); // property length
    }
    writeString(body, clientId);
    return packet(0x10, body.toByteArray());
  }

  /** DISCONNECT (MQTT 3.1.1 form, also valid MQTT 5: reason 0, no properties). */
  public static byte[] disconnect() {
    return new byte[] {(byte) 0xE0, 0x00};
  }

  private static byte[] packet(int type, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }

  /**
   * One whole packet: fixed header byte, then the remaining bytes (variable header and payload).
   */
  public record Packet(int header, byte[] body) {
    public int type() {
      return header >> 4;
    }

    /** The whole packet as on the wire, for assertions on exact bytes. */
    public byte[] bytes() {
      return packet(header, body);
    }

    @Override
    public String toString() {
      return "Packet[type=" + type() + ", body=" + Arrays.toString(body) + "]";
    }
  }

  /**
   * Reads one packet.
   *
   * @throws EOFException when the peer closed the connection before a whole packet arrived
   */
  public static Packet read(InputStream in) throws IOException {
    int header = in.read();
    if (header < 0) {
      throw new EOFException("connection closed before a packet arrived");
    }
    int length = 0;
    int multiplier = 1;
    int digit;
    do {
      digit = in.read();
      if (digit < 0) {
        throw new EOFException("connection closed inside a packet header");
      }
      length += (digit & 0x7F) * multiplier;
      multiplier *= 128;
    } while ((digit & 0x80) != 0);
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("connection closed inside a packet");
    }
    return new Packet(header, body);
  }
}
