package io.pylon.store.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.store.BrokerStore;
import io.pylon.store.Database;
import io.pylon.store.StoreException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract against the embedded H2 database, plus what only the JDBC store does. */
class H2BrokerStoreTest extends BrokerStoreContract {

  @TempDir Path dataDirectory;

  @Override
  protected BrokerStore open() {
    Database database = Database.embedded(dataDirectory);
    return new DatabaseOwningStore(new JdbcBrokerStore(database), database);
  }

  @Test
  void close_thenUse_failsNamingTheDatabase() {
    try (Database database = Database.embedded(dataDirectory.resolve("other"))) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      store.close();

      assertThatThrownBy(
              () -> store.retained().put(new RetainedMessage(fullMessage("t", "x"), STORED_AT)))
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("retaining the message on 't'")
          .hasMessageContaining("is closed")
          .hasMessageContaining(dataDirectory.resolve("other").toString());
    }
  }

  @Test
  void closedDatabase_thenUse_failsNamingTheDatabase() {
    Database database = Database.embedded(dataDirectory.resolve("other"));
    JdbcBrokerStore store = new JdbcBrokerStore(database);
    database.close();

    assertThatThrownBy(() -> store.sessions().loadAll())
        .isInstanceOf(StoreException.class)
        .hasMessageStartingWith("loading sessions failed: embedded database ")
        .hasMessageEndingWith(" is closed");
  }

  @Test
  void unreadableStoredProperties_failWithTopicAndDatabase() {
    try (Database database = Database.embedded(dataDirectory.resolve("other"))) {
      database.write(
          "planting a bad row",
          c ->
              c.createStatement()
                  .executeUpdate(
                      "INSERT INTO mqtt_retained (topic, payload, qos, retain_flag, properties,"
                          + " expires_at_ms) VALUES ('bad/row', X'00', 0, TRUE, X'07', 0)"));
      JdbcBrokerStore store = new JdbcBrokerStore(database);

      assertThatThrownBy(() -> store.retained().loadAll())
          .isInstanceOf(StoreException.class)
          .hasMessageContaining("loading retained messages failed in embedded database")
          .hasMessageContaining("'bad/row'")
          .hasMessageContaining("unknown properties format 7");
    }
  }

  @Test
  void retained_storedAsNullPropertiesWhenThereAreNone() {
    try (Database database = Database.embedded(dataDirectory.resolve("other"))) {
      JdbcBrokerStore store = new JdbcBrokerStore(database);
      store
          .retained()
          .put(
              new RetainedMessage(
                  new io.pylon.mqtt.message.ApplicationMessage(
                      "t",
                      bytes("x"),
                      io.pylon.mqtt.message.Qos.AT_MOST_ONCE,
                      true,
                      io.pylon.mqtt.message.MessageProperties.NONE,
                      0,
                      null),
                  STORED_AT));

      Boolean isNull =
          database.read(
              "checking",
              c -> {
                var rows =
                    c.createStatement()
                        .executeQuery("SELECT properties IS NULL FROM mqtt_retained");
                rows.next();
                return rows.getBoolean(1);
              });
      assertThat(isNull).isTrue();
    }
  }
}
