package io.pylon.store.broker;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;

/**
 * The columns an {@link ApplicationMessage} occupies in every table that keeps messages, so that
 * retained and pending messages are written and read by the same code.
 */
final class MessageColumns {

  /** In the order {@link #bind} and {@link #read} use them. */
  static final List<String> NAMES =
      List.of(
          "topic",
          "payload",
          "qos",
          "retain_flag",
          "properties",
          "expires_at_ms",
          "publisher_client_id");

  static final String SELECT_LIST = String.join(", ", NAMES);

  private MessageColumns() {}

  /**
   * Sets the message's columns as parameters {@code first} onwards.
   *
   * @return the index of the next parameter
   */
  static int bind(PreparedStatement statement, int first, ApplicationMessage message)
      throws SQLException {
    int i = first;
    statement.setString(i++, message.topic());
    statement.setBytes(i++, Objects.requireNonNull(message.payload(), "payload"));
    statement.setShort(i++, (short) message.qos().value());
    statement.setBoolean(i++, message.retain());
    statement.setBytes(i++, PropertiesCodec.encode(message.properties()));
    statement.setLong(i++, message.expiresAtMillis());
    statement.setString(i++, message.publisherClientId());
    return i;
  }

  /**
   * Reads a message from columns {@code first} onwards, as selected by {@link #SELECT_LIST}.
   *
   * @throws SQLDataException when the stored QoS or properties are not readable, naming the topic
   *     so that the bad row can be found
   */
  static ApplicationMessage read(ResultSet row, int first) throws SQLException {
    int i = first;
    String topic = row.getString(i++);
    byte[] payload = row.getBytes(i++);
    int qos = row.getShort(i++);
    boolean retain = row.getBoolean(i++);
    byte[] properties = row.getBytes(i++);
    long expiresAtMillis = row.getLong(i++);
    String publisher = row.getString(i);
    MessageProperties decoded;
    Qos decodedQos;
    try {
      decoded = PropertiesCodec.decode(properties);
      decodedQos = Qos.of(qos);
    } catch (IllegalArgumentException e) {
      throw new SQLDataException(
          "the stored message on topic '" + topic + "' is unreadable: " + e.getMessage(), e);
    }
    return new ApplicationMessage(
        topic, payload, decodedQos, retain, decoded, expiresAtMillis, publisher);
  }
}
