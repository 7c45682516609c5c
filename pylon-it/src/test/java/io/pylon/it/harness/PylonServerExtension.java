package io.pylon.it.harness;

import io.pylon.domain.identity.CertificateStatus;
import io.pylon.domain.policy.PolicyService;
import io.pylon.server.PylonServer;
import io.pylon.server.auth.CertificatePrincipal;
import io.pylon.server.config.ConfigLoader;
import io.pylon.server.config.PylonConfig;
import io.pylon.server.pki.IssuedCertificate;
import io.pylon.server.pki.Pem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs an embedded Pylon on ephemeral loopback ports in a temporary data directory.
 *
 * <p>Register it with {@code @RegisterExtension}: as a {@code static} field one server serves the
 * whole class (fast; tests must then use distinct client ids and topics), as an instance field each
 * test gets a fresh server. The data directory is deleted afterwards.
 *
 * <pre>
 * &#64;RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();
 * ... pylon.port("mqtts"), pylon.device("thing-1").sslContext(), pylon.restart() ...
 * </pre>
 */
public final class PylonServerExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

  public static final String MQTTS = "mqtts";
  public static final String HTTPS = "https";
  public static final String MQTT = "mqtt";

  private static final AtomicInteger UNIQUE = new AtomicInteger();

  /** The policy {@link #device} attaches: tests that are not about policies may do anything. */
  public static final String ALLOW_ALL_POLICY = "pylon-test-allow-all";

  private static final String ALLOW_ALL_DOCUMENT =
      "{\"Version\":\"2012-10-17\",\"Statement\":"
          + "[{\"Effect\":\"Allow\",\"Action\":\"iot:*\",\"Resource\":\"*\"}]}";

  private final Map<String, Supplier<String>> settings = new LinkedHashMap<>();
  private Path root;
  private PylonServer server;
  private boolean perClass;

  public PylonServerExtension() {
    with("listeners.mqtts.port", "0");
    with("listeners.https.port", "0");
    with("listeners.mqtt.port", "0");
    with("shutdown-grace-seconds", "5");
  }

  /**
   * Sets a configuration key for servers started from now on (before registration takes effect).
   */
  public PylonServerExtension with(String key, String value) {
    settings.put(key, () -> value);
    return this;
  }

  /**
   * Sets a configuration key whose value is known only when a server starts, e.g. the URL of a
   * database another extension creates for each test (register that one first).
   */
  public PylonServerExtension with(String key, Supplier<String> value) {
    settings.put(key, value);
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    perClass = true;
    start();
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!perClass) {
      start();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (!perClass) {
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    stop();
  }

  private void start() throws Exception {
    root = Files.createTempDirectory("pylon-it-");
    server = PylonServer.start(config());
  }

  /** The configuration this extension starts servers with (data directory in its temp dir). */
  public PylonConfig config() {
    Map<String, String> overrides = new LinkedHashMap<>();
    settings.forEach((key, value) -> overrides.put(key, value.get()));
    overrides.put("data-dir", dataDir().toString());
    return ConfigLoader.load(Optional.empty(), Map.of(), overrides);
  }

  private void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      server = null;
      deleteRecursively(root);
      root = null;
    }
  }

  /** Closes the server cleanly and starts a new one on the same data directory (new ports). */
  public PylonServer restart() throws Exception {
    server.close();
    server = null;
    server = PylonServer.start(config());
    return server;
  }

  public PylonServer server() {
    if (server == null) {
      throw new IllegalStateException("no server running");
    }
    return server;
  }

  public int port(String listener) {
    int port = server().port(listener);
    if (port <= 0) {
      throw new IllegalStateException("listener " + listener + " is not enabled");
    }
    return port;
  }

  public Path caFile() {
    return server().caFile();
  }

  public Path dataDir() {
    return root.resolve("data");
  }

  /** A scratch directory that lives as long as the server's data directory. */
  public Path scratch(String name) {
    try {
      return Files.createDirectories(root.resolve("scratch").resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A new device certificate issued by the server's root CA, registered ACTIVE (as AWS IoT requires
   * before it lets a certificate connect) and allowed everything by {@link #ALLOW_ALL_POLICY};
   * files written under the temp dir.
   */
  public Device device(String name) {
    Device device = registeredDevice(name);
    allowAll(device);
    return device;
  }

  /** Attaches {@link #ALLOW_ALL_POLICY} to a device's (registered) certificate. */
  public void allowAll(Device device) {
    PolicyService policies = server().policies();
    if (policies.find(ALLOW_ALL_POLICY).isEmpty()) {
      policies.createPolicy(ALLOW_ALL_POLICY, ALLOW_ALL_DOCUMENT, List.of());
    }
    policies.attachPolicy(ALLOW_ALL_POLICY, certificateArn(device));
  }

  /**
   * A device certificate issued by the server's root CA and registered ACTIVE, with no policy: it
   * may complete the TLS handshake but, as in AWS IoT, do nothing until a policy allows it.
   */
  public Device registeredDevice(String name) {
    Device device = unregisteredDevice(name);
    server()
        .certificates()
        .registerCertificate(
            Pem.certificate(device.certificate()),
            Optional.empty(),
            Optional.of(CertificateStatus.ACTIVE),
            false);
    return device;
  }

  /** The ARN of a device's certificate, the target policies and things are attached to. */
  public String certificateArn(Device device) {
    return server().account().arn("cert", CertificatePrincipal.certificateId(device.certificate()));
  }

  /** A new device certificate issued by the server's root CA and not registered. */
  public Device unregisteredDevice(String name) {
    IssuedCertificate issued =
        server().dataDirectory().rootCa().issueClientCertificate(name, Duration.ofDays(1));
    return new Device(
        name, issued.certificate(), issued.keyPair(), caFile(), root.resolve("devices"));
  }

  /**
   * A client id unique in this JVM, so that tests sharing a server never take over each other's
   * sessions.
   */
  public static String clientId(String prefix) {
    return prefix + "-" + UNIQUE.incrementAndGet();
  }

  static void deleteRecursively(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.deleteIfExists(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.deleteIfExists(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // A leftover temporary directory is not worth failing a test for.
    }
  }
}
