package io.pylon.mqtt.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MQTT 5 properties as raw-socket tests write and read them: an ordered list of (identifier, value)
 * pairs. Values are {@link Long} for the integer types, {@link String}, {@code byte[]} or {@code
 * String[2]} for user properties.
 */
public final class Props {

  public static final int PAYLOAD_FORMAT_INDICATOR = 0x01;
  public static final int MESSAGE_EXPIRY_INTERVAL = 0x02;
  public static final int CONTENT_TYPE = 0x03;
  public static final int RESPONSE_TOPIC = 0x08;
  public static final int CORRELATION_DATA = 0x09;
  public static final int SUBSCRIPTION_IDENTIFIER = 0x0B;
  public static final int SESSION_EXPIRY_INTERVAL = 0x11;
  public static final int ASSIGNED_CLIENT_IDENTIFIER = 0x12;
  public static final int SERVER_KEEP_ALIVE = 0x13;
  public static final int AUTHENTICATION_METHOD = 0x15;
  public static final int REQUEST_PROBLEM_INFORMATION = 0x17;
  public static final int WILL_DELAY_INTERVAL = 0x18;
  public static final int REASON_STRING = 0x1F;
  public static final int RECEIVE_MAXIMUM = 0x21;
  public static final int TOPIC_ALIAS_MAXIMUM = 0x22;
  public static final int TOPIC_ALIAS = 0x23;
  public static final int MAXIMUM_QOS = 0x24;
  public static final int RETAIN_AVAILABLE = 0x25;
  public static final int USER_PROPERTY = 0x26;
  public static final int MAXIMUM_PACKET_SIZE = 0x27;
  public static final int WILDCARD_SUBSCRIPTION_AVAILABLE = 0x28;
  public static final int SUBSCRIPTION_IDENTIFIER_AVAILABLE = 0x29;
  public static final int SHARED_SUBSCRIPTION_AVAILABLE = 0x2A;

  private enum Kind {
    BYTE,
    TWO,
    FOUR,
    VARINT,
    STRING,
    BINARY,
    PAIR
  }

  private record Prop(int id, Object value) {}

  private final List<Prop> props = new ArrayList<>();

  public static Props none() {
    return new Props();
  }

  public static Props of(int id, Object value) {
    return new Props().with(id, value);
  }

  /** Adds a property; integers may be given as Integer or Long. */
  public Props with(int id, Object value) {
    if (value instanceof Integer) {
      value = ((Integer) value).longValue();
    }
    props.add(new Prop(id, value));
    return this;
  }

  public Props user(String key, String value) {
    props.add(new Prop(USER_PROPERTY, new String[] {key, value}));
    return this;
  }

  public boolean has(int id) {
    return props.stream().anyMatch(p -> p.id == id);
  }

  /** The integer value of a property, or null. */
  public Long integer(int id) {
    return props.stream().filter(p -> p.id == id).map(p -> (Long) p.value).findFirst().orElse(null);
  }

  public String string(int id) {
    return props.stream()
        .filter(p -> p.id == id)
        .map(p -> (String) p.value)
        .findFirst()
        .orElse(null);
  }

  public byte[] binary(int id) {
    return props.stream()
        .filter(p -> p.id == id)
        .map(p -> (byte[]) p.value)
        .findFirst()
        .orElse(null);
  }

  public List<Long> integers(int id) {
    return props.stream().filter(p -> p.id == id).map(p -> (Long) p.value).toList();
  }

  public List<String[]> userProperties() {
    return props.stream().filter(p -> p.id == USER_PROPERTY).map(p -> (String[]) p.value).toList();
  }

  public boolean isEmpty() {
    return props.isEmpty();
  }

  /** Encodes with the leading variable-byte-integer length. */
  public byte[] encode() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Prop p : props) {
      body.write(p.id);
      switch (kind(p.id)) {
        case BYTE -> body.write((int) (long) (Long) p.value);
        case TWO -> RawClient.writeShort(body, (int) (long) (Long) p.value);
        case FOUR -> {
          long v = (Long) p.value;
          body.write((int) (v >>> 24));
          body.write((int) (v >>> 16));
          body.write((int) (v >>> 8));
          body.write((int) v);
        }
        case VARINT -> RawClient.writeVarInt(body, (int) (long) (Long) p.value);
        case STRING -> RawClient.writeString(body, (String) p.value);
        case BINARY -> RawClient.writeBinary(body, (byte[]) p.value);
        case PAIR -> {
          String[] pair = (String[]) p.value;
          RawClient.writeString(body, pair[0]);
          RawClient.writeString(body, pair[1]);
        }
        default -> throw new IllegalStateException();
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RawClient.writeVarInt(out, body.size());
    out.writeBytes(body.toByteArray());
    return out.toByteArray();
  }

  /** Decodes properties starting at {@code at[0]} (the length), advancing it past them. */
  static Props decode(byte[] b, int[] at) {
    Props props = new Props();
    int length = RawClient.readVarInt(b, at);
    int end = at[0] + length;
    while (at[0] < end) {
      int id = RawClient.readVarInt(b, at);
      switch (kind(id)) {
        case BYTE -> props.with(id, (long) (b[at[0]++] & 0xFF));
        case TWO -> props.with(id, (long) RawClient.readShort(b, at));
        case FOUR -> {
          long v =
              ((long) (b[at[0]] & 0xFF) << 24)
                  | ((b[at[0] + 1] & 0xFF) << 16)
                  | ((b[at[0] + 2] & 0xFF) << 8)
                  | (b[at[0] + 3] & 0xFF);
          at[0] += 4;
          props.with(id, v);
        }
        case VARINT -> props.with(id, (long) RawClient.readVarInt(b, at));
        case STRING -> props.with(id, RawClient.readString(b, at));
        case BINARY -> {
          int n = RawClient.readShort(b, at);
          byte[] v = java.util.Arrays.copyOfRange(b, at[0], at[0] + n);
          at[0] += n;
          props.with(id, v);
        }
        case PAIR -> props.user(RawClient.readString(b, at), RawClient.readString(b, at));
        default -> throw new IllegalStateException();
      }
    }
    return props;
  }

  private static Kind kind(int id) {
    switch (id) {
      case 0x01:
      case 0x17:
      case 0x19:
      case 0x24:
      case 0x25:
      case 0x28:
      case 0x29:
      case 0x2A:
        return Kind.BYTE;
      case 0x13:
      case 0x21:
      case 0x22:
      case 0x23:
        return Kind.TWO;
      case 0x02:
      case 0x11:
      case 0x18:
      case 0x27:
        return Kind.FOUR;
      case 0x0B:
        return Kind.VARINT;
      case 0x03:
      case 0x08:
      case 0x12:
      case 0x15:
      case 0x1A:
      case 0x1C:
      case 0x1F:
        return Kind.STRING;
      case 0x09:
      case 0x16:
        return Kind.BINARY;
      case 0x26:
        return Kind.PAIR;
      default:
        throw new IllegalArgumentException("unknown property " + id);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    for (Prop p : props) {
      Object v = p.value;
      if (v instanceof String[]) {
        v = ((String[]) v)[0] + "=" + ((String[]) v)[1];
      } else if (v instanceof byte[]) {
        v = new String((byte[]) v, StandardCharsets.UTF_8);
      }
      sb.append(String.format("0x%02X", p.id)).append('=').append(v).append(' ');
    }
    return sb.append('}').toString();
  }
}
