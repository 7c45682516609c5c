package io.pylon.store.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.store.BrokerStore;
import io.pylon.store.Database;
import io.pylon.store.StoreException;
import io.pylon.store.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The contract against PostgreSQL (a fresh database per test on the test JVM's private server),
 * plus what differs from H2 in the stored form.
 */
class PostgresBrokerStoreTest extends BrokerStoreContract {

  @RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();

  @Override
  protected BrokerStore open() {
    Database database = postgres.database().open();
    return new DatabaseOwningStore(new JdbcBrokerStore(database), database);
  }

  @Test
  void closedDatabase_thenUse_failsNamingTheDatabase() {
    Database database = postgres.open();
    JdbcBrokerStore store = new JdbcBrokerStore(database);
    database.close();

    assertThatThrownBy(() -> store.sessions().loadAll())
        .isInstanceOf(StoreException.class)
        .hasMessage(
            "loading sessions failed: PostgreSQL database "
                + postgres.database().url()
                + " is closed");
  }

  @Test
  void retained_storedAsNullPropertiesWhenThereAreNone() {
    Database database = postgres.open();
    new JdbcBrokerStore(database)
        .retained()
        .put(
            new RetainedMessage(
                new ApplicationMessage(
                    "t", bytes("x"), Qos.AT_MOST_ONCE, true, MessageProperties.NONE, 0, null),
                STORED_AT));

    Boolean isNull =
        database.read(
            "checking",
            c -> {
              var rows =
                  c.createStatement().executeQuery("SELECT properties IS NULL FROM mqtt_retained");
              rows.next();
              return rows.getBoolean(1);
            });
    assertThat(isNull).isTrue();
  }

  @Test
  void unreadableStoredProperties_failWithTopicAndDatabase() {
    Database database = postgres.open();
    database.write(
        "planting a bad row",
        c ->
            c.createStatement()
                .executeUpdate(
                    "INSERT INTO mqtt_retained (topic, payload, qos, retain_flag, properties,"
                        + " expires_at_ms) VALUES ('bad/row', '\\x00', 0, TRUE, '\\x07', 0)"));

    assertThatThrownBy(() -> new JdbcBrokerStore(database).retained().loadAll())
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("loading retained messages failed in PostgreSQL database")
        .hasMessageContaining("'bad/row'")
        .hasMessageContaining("unknown properties format 7");
  }
}
