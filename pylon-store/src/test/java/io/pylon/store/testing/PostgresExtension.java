package io.pylon.store.testing;

import io.pylon.store.Database;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives tests an empty PostgreSQL database on a private server ({@link PostgresServer}) that starts
 * once per test JVM, on first use, and stops when the JVM's tests are done.
 *
 * <p>Register it on a {@code static} field:
 *
 * <pre>
 * &#64;RegisterExtension static final PostgresExtension postgres = PostgresExtension.databasePerTest();
 *
 * Database database = postgres.open();              // Pylon's Database on this test's database
 * PostgresDatabase target = postgres.database();    // its URL, user and password
 * </pre>
 *
 * {@link #databasePerTest()} creates a database for each test method and drops it afterwards (0.1
 * to 0.3 s): what store contracts need, whose tests each expect empty storage. {@link
 * #databasePerClass()} creates one for the class. A {@link Database} obtained from {@link #open()}
 * and not closed by the test is closed when its database is dropped.
 *
 * <p>When PostgreSQL is not installed, or the server cannot start, every test class using this
 * extension fails with the reason (never skips); the server is only tried once per JVM.
 */
public final class PostgresExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  private final boolean perTest;
  private final List<Database> opened = new CopyOnWriteArrayList<>();
  private volatile PostgresServer server;
  private volatile PostgresDatabase database;

  private PostgresExtension(boolean perTest) {
    this.perTest = perTest;
  }

  /** A fresh database for every test method. */
  public static PostgresExtension databasePerTest() {
    return new PostgresExtension(true);
  }

  /** One database for the test class; needs a {@code static} field. */
  public static PostgresExtension databasePerClass() {
    return new PostgresExtension(false);
  }

  /** The current test's (or class's) database. */
  public PostgresDatabase database() {
    PostgresDatabase current = database;
    if (current == null) {
      throw new IllegalStateException("no database: use it from a test or a @BeforeEach method");
    }
    return current;
  }

  /** Opens Pylon's {@link Database} on {@link #database()}; closed with it if the test does not. */
  public Database open() {
    Database opening = database().open();
    opened.add(opening);
    return opening;
  }

  /** The server, shared by every test of this JVM. */
  public PostgresServer server() {
    if (server == null) {
      throw new IllegalStateException("the server starts with the first test using this extension");
    }
    return server;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    server = shared(context);
    if (!perTest) {
      database = server.createDatabase(context.getRequiredTestClass().getSimpleName());
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (server == null) {
      server = shared(context);
    }
    if (perTest) {
      database =
          server.createDatabase(
              context.getRequiredTestClass().getSimpleName()
                  + "_"
                  + context.getRequiredTestMethod().getName());
    } else if (database == null) {
      throw new IllegalStateException(
          "PostgresExtension.databasePerClass() must be registered on a static field");
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (perTest) {
      release();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (!perTest) {
      release();
    }
  }

  private void release() {
    PostgresDatabase released = database;
    database = null;
    for (Database d : opened) {
      d.close();
    }
    opened.clear();
    if (released != null) {
      server.dropDatabase(released.name());
    }
  }

  /** The JVM-wide server, started by the first caller; closed when the root context closes. */
  private static PostgresServer shared(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(SharedServer.class, k -> SharedServer.start(), SharedServer.class)
        .server();
  }

  /**
   * The started server, or why it could not start (remembered so that only the first class pays).
   */
  private record SharedServer(PostgresServer started, RuntimeException failure)
      implements AutoCloseable {

    static SharedServer start() {
      try {
        return new SharedServer(PostgresServer.start(PostgresInstallation.find()), null);
      } catch (RuntimeException e) {
        return new SharedServer(null, e);
      }
    }

    PostgresServer server() {
      if (failure != null) {
        throw new IllegalStateException(failure.getMessage(), failure);
      }
      return started;
    }

    @Override
    public void close() {
      if (started != null) {
        started.close();
      }
    }
  }
}
