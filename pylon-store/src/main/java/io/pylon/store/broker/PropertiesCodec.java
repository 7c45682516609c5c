package io.pylon.store.broker;

import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.UserProperty;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The stored form of {@link MessageProperties}: a few bytes in one nullable column rather than a
 * column per property, because most messages carry none (stored as NULL), the set is fixed by MQTT
 * 5, and user properties are an ordered list with duplicates that would need a table of their own.
 *
 * <p>Format 1, all lengths and numbers unsigned LEB128 varints:
 *
 * <pre>
 * format        1 byte   = 1
 * present       1 byte   bit 0 payload format indicator, 1 content type, 2 response topic,
 *                        3 correlation data; other bits must be 0
 * [indicator]   varint   the int's 32 bits
 * [content]     varint length, UTF-8
 * [response]    varint length, UTF-8
 * [correlation] varint length, bytes
 * user count    varint, then per property: name (varint length, UTF-8), value (same)
 * </pre>
 *
 * A new format gets a new first byte; this class must keep reading every older one, since stored
 * rows are never rewritten on upgrade.
 */
final class PropertiesCodec {

  static final int FORMAT_1 = 1;

  private static final int PAYLOAD_FORMAT_INDICATOR = 1;
  private static final int CONTENT_TYPE = 1 << 1;
  private static final int RESPONSE_TOPIC = 1 << 2;
  private static final int CORRELATION_DATA = 1 << 3;
  private static final int KNOWN =
      PAYLOAD_FORMAT_INDICATOR | CONTENT_TYPE | RESPONSE_TOPIC | CORRELATION_DATA;

  private PropertiesCodec() {}

  /** The stored form, or null when there are no properties (also for a null argument). */
  static byte[] encode(MessageProperties properties) {
    if (properties == null || properties.isEmpty()) {
      return null;
    }
    Writer out = new Writer();
    out.write(FORMAT_1);
    int present =
        (properties.payloadFormatIndicator() != null ? PAYLOAD_FORMAT_INDICATOR : 0)
            | (properties.contentType() != null ? CONTENT_TYPE : 0)
            | (properties.responseTopic() != null ? RESPONSE_TOPIC : 0)
            | (properties.correlationData() != null ? CORRELATION_DATA : 0);
    out.write(present);
    if (properties.payloadFormatIndicator() != null) {
      out.varint(properties.payloadFormatIndicator());
    }
    if (properties.contentType() != null) {
      out.string(properties.contentType());
    }
    if (properties.responseTopic() != null) {
      out.string(properties.responseTopic());
    }
    if (properties.correlationData() != null) {
      out.bytes(properties.correlationData());
    }
    out.varint(properties.userProperties().size());
    for (UserProperty property : properties.userProperties()) {
      out.string(property.name());
      out.string(property.value());
    }
    return out.toByteArray();
  }

  /**
   * The properties stored as {@code stored}; {@link MessageProperties#NONE} for null.
   *
   * @throws IllegalArgumentException when the bytes are not in a known format
   */
  static MessageProperties decode(byte[] stored) {
    if (stored == null) {
      return MessageProperties.NONE;
    }
    Reader in = new Reader(stored);
    int format = in.read();
    if (format != FORMAT_1) {
      throw new IllegalArgumentException("unknown properties format " + format);
    }
    int present = in.read();
    if ((present & ~KNOWN) != 0) {
      throw new IllegalArgumentException(
          "unknown property bits " + Integer.toBinaryString(present));
    }
    Integer indicator = (present & PAYLOAD_FORMAT_INDICATOR) != 0 ? in.varint() : null;
    String contentType = (present & CONTENT_TYPE) != 0 ? in.string() : null;
    String responseTopic = (present & RESPONSE_TOPIC) != 0 ? in.string() : null;
    byte[] correlationData = (present & CORRELATION_DATA) != 0 ? in.bytes() : null;
    int count = in.length();
    List<UserProperty> userProperties = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      userProperties.add(new UserProperty(in.string(), in.string()));
    }
    in.expectEnd();
    return new MessageProperties(
        indicator, contentType, responseTopic, correlationData, userProperties);
  }

  private static final class Writer extends ByteArrayOutputStream {

    Writer() {
      super(64);
    }

    void varint(int value) {
      int rest = value;
      while ((rest & ~0x7F) != 0) {
        write((rest & 0x7F) | 0x80);
        rest >>>= 7;
      }
      write(rest);
    }

    void bytes(byte[] value) {
      varint(value.length);
      writeBytes(value);
    }

    void string(String value) {
      bytes(value.getBytes(StandardCharsets.UTF_8));
    }
  }

  private static final class Reader {

    private final byte[] buffer;
    private int position;

    Reader(byte[] buffer) {
      this.buffer = buffer;
    }

    int read() {
      if (position >= buffer.length) {
        throw new IllegalArgumentException("truncated properties (" + buffer.length + " bytes)");
      }
      return buffer[position++] & 0xFF;
    }

    int varint() {
      int value = 0;
      for (int shift = 0; shift < 35; shift += 7) {
        int b = read();
        value |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          return value;
        }
      }
      throw new IllegalArgumentException("varint longer than 5 bytes at " + position);
    }

    int length() {
      int length = varint();
      if (length < 0 || length > buffer.length - position) {
        throw new IllegalArgumentException(
            "length "
                + Integer.toUnsignedString(length)
                + " at "
                + position
                + " runs past the end ("
                + buffer.length
                + " bytes)");
      }
      return length;
    }

    byte[] bytes() {
      int length = length();
      byte[] value = new byte[length];
      System.arraycopy(buffer, position, value, 0, length);
      position += length;
      return value;
    }

    String string() {
      int length = length();
      String value = new String(buffer, position, length, StandardCharsets.UTF_8);
      position += length;
      return value;
    }

    void expectEnd() {
      if (position != buffer.length) {
        throw new IllegalArgumentException(
            (buffer.length - position) + " unexpected bytes after the properties");
      }
    }
  }
}
