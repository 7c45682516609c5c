package io.pylon.store;

import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.Qos;
import io.pylon.mqtt.message.RetainedMessage;
import io.pylon.mqtt.store.StoredSession;
import io.pylon.mqtt.store.StoredSubscription;
import io.pylon.store.broker.JdbcBrokerStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A second JVM for tests that need another process: one holding the database open, or one killed
 * right after its writes returned. Prints a marker line when ready, then waits for its standard
 * input to close.
 *
 * <p>Arguments: {@code hold <dir>}, or {@code write <dir> <count> <durability>}.
 */
public final class EmbeddedDatabaseProcess {

  /** When test messages count as retained; any fixed time will do. */
  static final long STORED_AT = 1_700_000_000_123L;

  static final String OPEN = "database-open";
  static final String WRITTEN = "writes-returned";

  private EmbeddedDatabaseProcess() {}

  public static void main(String[] args) throws IOException {
    Path directory = Path.of(args[1]);
    switch (args[0]) {
      case "hold" -> {
        Database database = Database.embedded(directory);
        System.out.println(OPEN);
        System.out.flush();
        drain(System.in);
        database.close();
      }
      case "write" -> {
        int count = Integer.parseInt(args[2]);
        Database database = Database.embedded(directory, EmbeddedDurability.valueOf(args[3]));
        JdbcBrokerStore store = new JdbcBrokerStore(database);
        for (int i = 0; i < count; i++) {
          store.retained().put(new RetainedMessage(message("durable/" + i), STORED_AT));
        }
        store
            .sessions()
            .save(
                new StoredSession(
                    "durable-session",
                    60,
                    0,
                    List.of(new StoredSubscription("durable/#", 1, false, false, 0, 0)),
                    List.of(message("durable/pending"))));
        System.out.println(WRITTEN);
        System.out.flush();
        // Never closes the database: the test kills this process.
        drain(System.in);
      }
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static ApplicationMessage message(String topic) {
    return new ApplicationMessage(
        topic,
        topic.getBytes(StandardCharsets.UTF_8),
        Qos.AT_LEAST_ONCE,
        true,
        MessageProperties.NONE,
        0,
        null);
  }

  private static void drain(InputStream in) throws IOException {
    while (in.read() >= 0) {
      // until the test closes our standard input or kills us
    }
  }
}
