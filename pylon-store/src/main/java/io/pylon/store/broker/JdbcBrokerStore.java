package io.pylon.store.broker;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.store.BrokerStore;
import io.pylon.mqtt.store.RetainedChange;
import io.pylon.mqtt.store.RetainedStore;
import io.pylon.mqtt.store.SessionStore;
import io.pylon.mqtt.store.StoredInflight;
import io.pylon.mqtt.store.StoredSession;
import io.pylon.mqtt.store.StoredSubscription;
import io.pylon.store.Database;
import io.pylon.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's durable state in a {@link Database}: retained messages and persistent sessions in
 * the {@code mqtt_*} tables of migration {@code V1__broker_state.sql}.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Whole-session saves.</b> {@link SessionStore#save} replaces a session with everything in
 *       it, in one transaction: upsert the {@code mqtt_session} row (which also locks it, so two
 *       saves of one client id serialise on both engines), delete its subscriptions and pending
 *       messages, insert the new ones in order. A reader sees either the old or the new session.
 *   <li><b>Order.</b> Subscriptions and pending messages carry a {@code seq}; loading returns them
 *       in the order they were saved in.
 *   <li><b>Lifetime.</b> The store does not own the database: several stores share one, and the
 *       server closes the database after all of them. {@link #close()} only makes further calls
 *       fail, which catches a broker that saves after its store was closed.
 *   <li><b>Threads.</b> Thread-safe and stateless apart from SQL text; every call blocks on the
 *       database, so the broker calls it only from its persistence executor.
 *   <li><b>Failures.</b> Every method throws {@link StoreException} naming the operation, the key
 *       and the database; nothing is retried here.
 * </ul>
 */
public final class JdbcBrokerStore implements BrokerStore {

  private final Database database;
  private final Sessions sessions;
  private final Retained retained;
  private volatile boolean closed;

  /** A store over {@code database}, whose schema is already migrated by opening it. */
  public JdbcBrokerStore(Database database) {
    this.database = database;
    this.sessions = new Sessions();
    this.retained = new Retained();
  }

  @Override
  public SessionStore sessions() {
    return sessions;
  }

  @Override
  public RetainedStore retained() {
    return retained;
  }

  /** Makes further calls fail; the database stays open for its owner to close. */
  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "JdbcBrokerStore[" + database + "]";
  }

  private void checkOpen(String action) {
    if (closed) {
      throw new StoreException(action + " failed: the broker store on " + database + " is closed");
    }
  }

  /** A key quoted for a message; MQTT allows 64 KiB topics, a log line does not need them. */
  private static String quote(String key) {
    return key.length() <= 120 ? "'" + key + "'" : "'" + key.substring(0, 120) + "...'";
  }

  private final class Sessions implements SessionStore {

    private final String upsertSession =
        database
            .dialect()
            .upsert(
                "mqtt_session",
                List.of("client_id"),
                List.of("client_id", "expiry_interval_s", "disconnected_at_ms"));

    private final String insertPending =
        "INSERT INTO mqtt_pending_message (client_id, seq, packet_id, released, sent_at_ms, "
            + MessageColumns.SELECT_LIST
            + ") VALUES (?, ?, ?, ?, ?"
            + ", ?".repeat(MessageColumns.NAMES.size())
            + ")";

    @Override
    public void save(StoredSession session) {
      String action = "saving session " + quote(session.clientId());
      checkOpen(action);
      database.write(action, connection -> write(connection, session));
    }

    @Override
    public void saveAll(List<StoredSession> sessions) {
      if (sessions.isEmpty()) {
        return;
      }
      String action = "saving " + sessions.size() + " sessions";
      checkOpen(action);
      database.write(
          action,
          connection -> {
            for (StoredSession session : sessions) {
              write(connection, session);
            }
          });
    }

    private void write(Connection connection, StoredSession session) throws SQLException {
      String clientId = session.clientId();
      try (PreparedStatement upsert = connection.prepareStatement(upsertSession)) {
        upsert.setString(1, clientId);
        upsert.setLong(2, session.expiryIntervalSeconds());
        upsert.setLong(3, session.disconnectedAtMillis());
        upsert.executeUpdate();
      }
      deleteChildren(connection, clientId);
      insertSubscriptions(connection, clientId, session.subscriptions());
      insertPending(connection, clientId, session);
      insertInboundQos2(connection, clientId, session.inboundQos2());
    }

    @Override
    public void remove(String clientId) {
      String action = "removing session " + quote(clientId);
      checkOpen(action);
      database.write(
          action,
          connection -> {
            // One statement, the foreign keys cascade to subscriptions and pending messages: the
            // session row is locked before its children, in the same order as save(), so a remove
            // racing a save of the same client id waits instead of deadlocking.
            try (PreparedStatement delete =
                connection.prepareStatement("DELETE FROM mqtt_session WHERE client_id = ?")) {
              delete.setString(1, clientId);
              delete.executeUpdate();
            }
          });
    }

    @Override
    public List<StoredSession> loadAll() {
      String action = "loading sessions";
      checkOpen(action);
      return database.read(
          action,
          connection -> {
            Map<String, SessionRows> byClientId = new LinkedHashMap<>();
            try (PreparedStatement select =
                    connection.prepareStatement(
                        "SELECT client_id, expiry_interval_s, disconnected_at_ms FROM mqtt_session");
                ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                byClientId.put(
                    rows.getString(1), new SessionRows(rows.getLong(2), rows.getLong(3)));
              }
            }
            try (PreparedStatement select =
                    connection.prepareStatement(
                        "SELECT client_id, topic_filter, qos, no_local, retain_as_published,"
                            + " retain_handling, subscription_id FROM mqtt_subscription"
                            + " ORDER BY client_id, seq");
                ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                SessionRows session = byClientId.get(rows.getString(1));
                if (session != null) {
                  session.subscriptions.add(
                      new StoredSubscription(
                          rows.getString(2),
                          rows.getShort(3),
                          rows.getBoolean(4),
                          rows.getBoolean(5),
                          rows.getShort(6),
                          rows.getInt(7)));
                }
              }
            }
            try (PreparedStatement select =
                    connection.prepareStatement(
                        "SELECT client_id, packet_id, released, sent_at_ms, "
                            + MessageColumns.SELECT_LIST
                            + " FROM mqtt_pending_message ORDER BY client_id, seq");
                ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                SessionRows session = byClientId.get(rows.getString(1));
                if (session == null) {
                  continue;
                }
                int packetId = rows.getInt(2);
                ApplicationMessage message = MessageColumns.read(rows, 5);
                if (packetId == 0) {
                  session.pending.add(message);
                } else {
                  session.inflight.add(
                      new StoredInflight(packetId, rows.getBoolean(3), rows.getLong(4), message));
                }
              }
            }
            try (PreparedStatement select =
                    connection.prepareStatement(
                        "SELECT client_id, packet_id FROM mqtt_inbound_qos2"
                            + " ORDER BY client_id, packet_id");
                ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                SessionRows session = byClientId.get(rows.getString(1));
                if (session != null) {
                  session.inboundQos2.add(rows.getInt(2));
                }
              }
            }
            List<StoredSession> result = new ArrayList<>(byClientId.size());
            byClientId.forEach(
                (clientId, rows) ->
                    result.add(
                        new StoredSession(
                            clientId,
                            rows.expiryIntervalSeconds,
                            rows.disconnectedAtMillis,
                            rows.subscriptions,
                            rows.inflight,
                            rows.pending,
                            rows.inboundQos2)));
            return result;
          });
    }

    private void deleteChildren(Connection connection, String clientId) throws SQLException {
      for (String table :
          new String[] {"mqtt_subscription", "mqtt_pending_message", "mqtt_inbound_qos2"}) {
        try (PreparedStatement delete =
            connection.prepareStatement("DELETE FROM " + table + " WHERE client_id = ?")) {
          delete.setString(1, clientId);
          delete.executeUpdate();
        }
      }
    }

    private void insertSubscriptions(
        Connection connection, String clientId, List<StoredSubscription> subscriptions)
        throws SQLException {
      if (subscriptions.isEmpty()) {
        return;
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO mqtt_subscription (client_id, seq, topic_filter, qos, no_local,"
                  + " retain_as_published, retain_handling, subscription_id)"
                  + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        int seq = 0;
        for (StoredSubscription subscription : subscriptions) {
          insert.setString(1, clientId);
          insert.setInt(2, seq++);
          insert.setString(3, subscription.filter());
          insert.setShort(4, (short) subscription.qos());
          insert.setBoolean(5, subscription.noLocal());
          insert.setBoolean(6, subscription.retainAsPublished());
          insert.setShort(7, (short) subscription.retainHandling());
          insert.setInt(8, subscription.subscriptionId());
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }

    /** In-flight messages first (with their packet ids), then queued ones (packet id 0). */
    private void insertPending(Connection connection, String clientId, StoredSession session)
        throws SQLException {
      if (session.inflight().isEmpty() && session.pending().isEmpty()) {
        return;
      }
      try (PreparedStatement insert = connection.prepareStatement(insertPending)) {
        int seq = 0;
        for (StoredInflight sent : session.inflight()) {
          bindPending(
              insert, clientId, seq++, sent.packetId(), sent.released(), sent.sentAtMillis());
          MessageColumns.bind(insert, 6, sent.message());
          insert.addBatch();
        }
        for (ApplicationMessage message : session.pending()) {
          bindPending(insert, clientId, seq++, 0, false, 0);
          MessageColumns.bind(insert, 6, message);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }

    private void bindPending(
        PreparedStatement insert,
        String clientId,
        int seq,
        int packetId,
        boolean released,
        long sentAtMillis)
        throws SQLException {
      insert.setString(1, clientId);
      insert.setInt(2, seq);
      insert.setInt(3, packetId);
      insert.setBoolean(4, released);
      insert.setLong(5, sentAtMillis);
    }

    private void insertInboundQos2(Connection connection, String clientId, List<Integer> ids)
        throws SQLException {
      if (ids.isEmpty()) {
        return;
      }
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO mqtt_inbound_qos2 (client_id, packet_id) VALUES (?, ?)")) {
        for (int id : ids) {
          insert.setString(1, clientId);
          insert.setInt(2, id);
          insert.addBatch();
        }
        insert.executeBatch();
      }
    }
  }

  /** A session's rows while {@link Sessions#loadAll} collects them. */
  private static final class SessionRows {
    final long expiryIntervalSeconds;
    final long disconnectedAtMillis;
    final List<StoredSubscription> subscriptions = new ArrayList<>();
    final List<StoredInflight> inflight = new ArrayList<>();
    final List<ApplicationMessage> pending = new ArrayList<>();
    final List<Integer> inboundQos2 = new ArrayList<>();

    SessionRows(long expiryIntervalSeconds, long disconnectedAtMillis) {
      this.expiryIntervalSeconds = expiryIntervalSeconds;
      this.disconnectedAtMillis = disconnectedAtMillis;
    }
  }

  private final class Retained implements RetainedStore {

    /** The message's columns, then when it was stored. */
    private final List<String> columns = columnsWithStoredTime();

    private final String upsert =
        database.dialect().upsert("mqtt_retained", List.of("topic"), columns);

    @Override
    public void put(RetainedMessage retained) {
      applyAll(List.of(new RetainedChange(retained.topic(), retained)));
    }

    @Override
    public void remove(String topic) {
      applyAll(List.of(new RetainedChange(topic, null)));
    }

    @Override
    public void applyAll(List<RetainedChange> changes) {
      if (changes.isEmpty()) {
        return;
      }
      String action =
          changes.size() == 1
              ? (changes.get(0).retained() == null
                      ? "clearing the retained message on "
                      : "retaining the message on ")
                  + quote(changes.get(0).topic())
              : "applying " + changes.size() + " retained message changes";
      checkOpen(action);
      database.write(
          action,
          connection -> {
            try (PreparedStatement put = connection.prepareStatement(upsert);
                PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM mqtt_retained WHERE topic = ?")) {
              for (RetainedChange change : changes) {
                if (change.retained() == null) {
                  delete.setString(1, change.topic());
                  delete.executeUpdate();
                } else {
                  int next = MessageColumns.bind(put, 1, change.retained().message());
                  put.setLong(next, change.retained().storedAtMillis());
                  put.executeUpdate();
                }
              }
            }
          });
    }

    @Override
    public List<RetainedMessage> loadAll() {
      String action = "loading retained messages";
      checkOpen(action);
      return database.read(
          action,
          connection -> {
            List<RetainedMessage> messages = new ArrayList<>();
            try (PreparedStatement select =
                    connection.prepareStatement(
                        "SELECT " + String.join(", ", columns) + " FROM mqtt_retained");
                ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                messages.add(
                    new RetainedMessage(
                        MessageColumns.read(rows, 1), rows.getLong(columns.size())));
              }
            }
            return messages;
          });
    }

    private static List<String> columnsWithStoredTime() {
      List<String> all = new ArrayList<>(MessageColumns.NAMES);
      all.add("stored_at_ms");
      return List.copyOf(all);
    }
  }
}
