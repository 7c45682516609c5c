package io.pylon.mqtt.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A minimal MQTT client over a plain socket, for what client libraries will not send: malformed
 * packets, protocol violations, clients that never acknowledge, and for reading flags (DUP, topic
 * alias) that libraries hide. Every read is bounded by a timeout.
 */
public final class RawClient implements AutoCloseable {

  public static final int CONNECT = 1;
  public static final int CONNACK = 2;
  public static final int PUBLISH = 3;
  public static final int PUBACK = 4;
  public static final int PUBREC = 5;
  public static final int PUBREL = 6;
  public static final int PUBCOMP = 7;
  public static final int SUBSCRIBE = 8;
  public static final int SUBACK = 9;
  public static final int UNSUBSCRIBE = 10;
  public static final int UNSUBACK = 11;
  public static final int PINGREQ = 12;
  public static final int PINGRESP = 13;
  public static final int DISCONNECT = 14;

  private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final int version;

  /** Opens a connection; {@code version} is 4 (3.1.1) or 5 and decides how packets are framed. */
  public RawClient(int port, int version) throws IOException {
    this.version = version;
    this.socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout((int) DEFAULT_TIMEOUT.toMillis());
    this.in = socket.getInputStream();
    this.out = socket.getOutputStream();
  }

  public int version() {
    return version;
  }

  // ------------------------------------------------------------------ packets

  /** A packet read from the server. */
  public final class Packet {
    public final int type;
    public final int flags;
    public final byte[] body;

    Packet(int type, int flags, byte[] body) {
      this.type = type;
      this.flags = flags;
      this.body = body;
    }

    // CONNACK
    public boolean sessionPresent() {
      return (body[0] & 1) != 0;
    }

    /** CONNACK return/reason code; PUBACK/PUBREC/PUBREL/PUBCOMP/DISCONNECT reason code. */
    public int reasonCode() {
      switch (type) {
        case CONNACK:
          return body[1] & 0xFF;
        case PUBACK:
        case PUBREC:
        case PUBREL:
        case PUBCOMP:
          return body.length > 2 ? body[2] & 0xFF : 0;
        case DISCONNECT:
          return body.length > 0 ? body[0] & 0xFF : 0;
        default:
          throw new IllegalStateException("no reason code in packet type " + type);
      }
    }

    /** MQTT 5 properties of CONNACK, PUBLISH, acks, SUBACK, DISCONNECT. */
    public Props props() {
      if (version < 5) {
        return Props.none();
      }
      int[] at = new int[1];
      switch (type) {
        case CONNACK:
          at[0] = 2;
          break;
        case PUBLISH:
          at[0] = publishPropsOffset();
          break;
        case PUBACK:
        case PUBREC:
        case PUBREL:
        case PUBCOMP:
          if (body.length <= 3) {
            return Props.none();
          }
          at[0] = 3;
          break;
        case SUBACK:
        case UNSUBACK:
          at[0] = 2;
          break;
        case DISCONNECT:
          if (body.length <= 1) {
            return Props.none();
          }
          at[0] = 1;
          break;
        default:
          throw new IllegalStateException("no properties in packet type " + type);
      }
      return Props.decode(body, at);
    }

    public int qos() {
      return (flags >> 1) & 3;
    }

    public boolean dup() {
      return (flags & 8) != 0;
    }

    public boolean retain() {
      return (flags & 1) != 0;
    }

    public String topic() {
      return readString(body, new int[] {0});
    }

    /** Packet id of PUBLISH (QoS > 0), acks, SUBACK, UNSUBACK. */
    public int packetId() {
      if (type == PUBLISH) {
        int[] at = {0};
        readString(body, at);
        return readShort(body, at);
      }
      return readShort(body, new int[] {0});
    }

    public byte[] payload() {
      int[] at = {publishPropsOffset()};
      if (version >= 5) {
        Props.decode(body, at);
      }
      return Arrays.copyOfRange(body, at[0], body.length);
    }

    public String payloadString() {
      return new String(payload(), StandardCharsets.UTF_8);
    }

    /** SUBACK / UNSUBACK (v5) reason codes. */
    public int[] codes() {
      int[] at = {2};
      if (version >= 5) {
        Props.decode(body, at);
      }
      int[] codes = new int[body.length - at[0]];
      for (int i = 0; i < codes.length; i++) {
        codes[i] = body[at[0] + i] & 0xFF;
      }
      return codes;
    }

    private int publishPropsOffset() {
      int[] at = {0};
      readString(body, at);
      if (qos() > 0) {
        at[0] += 2;
      }
      return at[0];
    }

    @Override
    public String toString() {
      return "Packet[type=" + type + ", flags=" + flags + ", length=" + body.length + "]";
    }
  }

  // ------------------------------------------------------------------ writing

  public void send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /**
   * Sends bytes from another thread, ignoring a connection the server closes meanwhile: for packets
   * the server rejects before it has read them whole (the test reads the answer concurrently).
   */
  public java.util.concurrent.CompletableFuture<Void> sendInBackground(byte[] bytes) {
    return java.util.concurrent.CompletableFuture.runAsync(
        () -> {
          try {
            send(bytes);
          } catch (IOException e) {
            // The server closed the connection while we were still writing: expected here.
          }
        });
  }

  /** Sends CONNECT and returns the CONNACK. */
  public Packet connect(String clientId, boolean cleanStart, int keepAlive, Props props)
      throws IOException {
    send(connectPacket(clientId, cleanStart, keepAlive, props, null, null, 0, false, null, null));
    return expect(CONNACK);
  }

  public Packet connect(String clientId, boolean cleanStart, int keepAlive) throws IOException {
    return connect(clientId, cleanStart, keepAlive, Props.none());
  }

  /** A CONNECT packet; will fields are used when {@code willTopic} is not null. */
  public byte[] connectPacket(
      String clientId,
      boolean cleanStart,
      int keepAlive,
      Props props,
      String willTopic,
      byte[] willPayload,
      int willQos,
      boolean willRetain,
      Props willProps,
      String username) {
    ByteArrayOutputStream vh = new ByteArrayOutputStream();
    writeString(vh, version == 3 ? "MQIsdp" : "MQTT");
    vh.write(version);
    int flags = cleanStart ? 0x02 : 0;
    if (willTopic != null) {
      flags |= 0x04 | (willQos << 3) | (willRetain ? 0x20 : 0);
    }
    if (username != null) {
      flags |= 0x80;
    }
    vh.write(flags);
    writeShort(vh, keepAlive);
    if (version >= 5) {
      vh.writeBytes((props == null ? Props.none() : props).encode());
    }
    writeString(vh, clientId);
    if (willTopic != null) {
      if (version >= 5) {
        vh.writeBytes((willProps == null ? Props.none() : willProps).encode());
      }
      writeString(vh, willTopic);
      writeBinary(vh, willPayload);
    }
    if (username != null) {
      writeString(vh, username);
    }
    return packet(0x10, vh.toByteArray());
  }

  public byte[] publishPacket(
      String topic,
      int qos,
      boolean retain,
      boolean dup,
      int packetId,
      Props props,
      byte[] payload) {
    ByteArrayOutputStream vh = new ByteArrayOutputStream();
    writeString(vh, topic);
    if (qos > 0) {
      writeShort(vh, packetId);
    }
    if (version >= 5) {
      vh.writeBytes((props == null ? Props.none() : props).encode());
    }
    vh.writeBytes(payload);
    return packet(0x30 | (dup ? 8 : 0) | (qos << 1) | (retain ? 1 : 0), vh.toByteArray());
  }

  public void publish(String topic, int qos, int packetId, String payload) throws IOException {
    send(
        publishPacket(
            topic,
            qos,
            false,
            false,
            packetId,
            Props.none(),
            payload.getBytes(StandardCharsets.UTF_8)));
  }

  public void publish(String topic, int qos, int packetId, Props props, String payload)
      throws IOException {
    send(
        publishPacket(
            topic, qos, false, false, packetId, props, payload.getBytes(StandardCharsets.UTF_8)));
  }

  /** SUBSCRIBE with one filter and an options byte (QoS in the low bits); returns the SUBACK. */
  public Packet subscribe(int packetId, Props props, String filter, int options)
      throws IOException {
    send(subscribePacket(packetId, props, new String[] {filter}, new int[] {options}));
    return expect(SUBACK);
  }

  public Packet subscribe(String filter, int qos) throws IOException {
    return subscribe(1, Props.none(), filter, qos);
  }

  public byte[] subscribePacket(int packetId, Props props, String[] filters, int[] options) {
    ByteArrayOutputStream vh = new ByteArrayOutputStream();
    writeShort(vh, packetId);
    if (version >= 5) {
      vh.writeBytes((props == null ? Props.none() : props).encode());
    }
    for (int i = 0; i < filters.length; i++) {
      writeString(vh, filters[i]);
      vh.write(options[i]);
    }
    return packet(0x82, vh.toByteArray());
  }

  public byte[] unsubscribePacket(int packetId, String... filters) {
    ByteArrayOutputStream vh = new ByteArrayOutputStream();
    writeShort(vh, packetId);
    if (version >= 5) {
      vh.writeBytes(Props.none().encode());
    }
    for (String f : filters) {
      writeString(vh, f);
    }
    return packet(0xA2, vh.toByteArray());
  }

  public byte[] ack(int type, int packetId) {
    ByteArrayOutputStream vh = new ByteArrayOutputStream();
    writeShort(vh, packetId);
    return packet((type << 4) | (type == PUBREL ? 2 : 0), vh.toByteArray());
  }

  public void puback(int packetId) throws IOException {
    send(ack(PUBACK, packetId));
  }

  public byte[] disconnectPacket(int reasonCode, Props props) {
    if (version < 5) {
      return new byte[] {(byte) 0xE0, 0};
    }
    ByteArrayOutputStream vh = new ByteArrayOutputStream();
    vh.write(reasonCode);
    vh.writeBytes((props == null ? Props.none() : props).encode());
    return packet(0xE0, vh.toByteArray());
  }

  public static byte[] pingreq() {
    return new byte[] {(byte) 0xC0, 0};
  }

  /** A packet from a first byte and a body, with the remaining length encoded. */
  public static byte[] packet(int firstByte, byte[] body) {
    ByteArrayOutputStream p = new ByteArrayOutputStream();
    p.write(firstByte);
    writeVarInt(p, body.length);
    p.writeBytes(body);
    return p.toByteArray();
  }

  // ------------------------------------------------------------------ reading

  /** Reads the next packet within the default timeout; fails on timeout or end of stream. */
  public Packet read() throws IOException {
    return read(DEFAULT_TIMEOUT);
  }

  public Packet read(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    int first = in.read();
    if (first < 0) {
      throw new EOFException("connection closed by the server");
    }
    int length = 0;
    int multiplier = 1;
    for (int i = 0; i < 4; i++) {
      int digit = in.read();
      if (digit < 0) {
        throw new EOFException("connection closed inside a packet");
      }
      length += (digit & 127) * multiplier;
      if ((digit & 128) == 0) {
        break;
      }
      multiplier *= 128;
    }
    byte[] body = in.readNBytes(length);
    if (body.length < length) {
      throw new EOFException("connection closed inside a packet");
    }
    return new Packet(first >> 4, first & 0x0F, body);
  }

  /** Reads the next packet and checks its type. */
  public Packet expect(int type) throws IOException {
    Packet p = read();
    assertThat(p.type).as("packet type of %s", p).isEqualTo(type);
    return p;
  }

  /** The next packet, or null when none arrives within {@code timeout}. */
  public Packet poll(Duration timeout) throws IOException {
    try {
      return read(timeout);
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  /**
   * Reads until the server closes the connection, returning the packets it sent first. Fails when
   * the connection is still open after {@code timeout}.
   */
  public List<Packet> readUntilClosed(Duration timeout) throws IOException {
    List<Packet> packets = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = (deadline - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        throw new AssertionError("connection still open after " + timeout + "; read " + packets);
      }
      try {
        packets.add(read(Duration.ofMillis(left)));
      } catch (EOFException | SocketException e) {
        return packets;
      } catch (SocketTimeoutException e) {
        throw new AssertionError("connection still open after " + timeout + "; read " + packets);
      }
    }
  }

  public List<Packet> readUntilClosed() throws IOException {
    return readUntilClosed(DEFAULT_TIMEOUT);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ------------------------------------------------------------------ encoding helpers

  static void writeVarInt(ByteArrayOutputStream out, int value) {
    do {
      int digit = value % 128;
      value /= 128;
      if (value > 0) {
        digit |= 0x80;
      }
      out.write(digit);
    } while (value > 0);
  }

  static void writeShort(ByteArrayOutputStream out, int value) {
    out.write((value >> 8) & 0xFF);
    out.write(value & 0xFF);
  }

  static void writeString(ByteArrayOutputStream out, String s) {
    writeBinary(out, s.getBytes(StandardCharsets.UTF_8));
  }

  static void writeBinary(ByteArrayOutputStream out, byte[] b) {
    writeShort(out, b.length);
    out.writeBytes(b);
  }

  static int readVarInt(byte[] b, int[] at) {
    int value = 0;
    int multiplier = 1;
    while (true) {
      int digit = b[at[0]++] & 0xFF;
      value += (digit & 127) * multiplier;
      if ((digit & 128) == 0) {
        return value;
      }
      multiplier *= 128;
    }
  }

  static int readShort(byte[] b, int[] at) {
    int v = ((b[at[0]] & 0xFF) << 8) | (b[at[0] + 1] & 0xFF);
    at[0] += 2;
    return v;
  }

  static String readString(byte[] b, int[] at) {
    int n = readShort(b, at);
    String s = new String(b, at[0], n, StandardCharsets.UTF_8);
    at[0] += n;
    return s;
  }
}
