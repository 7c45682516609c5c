package io.pylon.bench;

import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Option;

/**
 * Options shared by every load scenario (a picocli mixin). Options left unset fall back to the
 * scenario's {@link ScenarioDefaults}; {@link #resolve} validates everything in one place so that a
 * bad value fails before any connection is opened.
 */
public final class LoadOptions {

  /** Header written into each payload: send time, publisher index, sequence. */
  static final int MIN_PAYLOAD_BYTES = Payload.HEADER_BYTES;

  static final int MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

  /**
   * File descriptors the JVM needs besides sockets (jars, epoll, pipes), kept free when checking
   * limits.
   */
  static final int RESERVED_FDS = 200;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Server address (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--port",
      defaultValue = "1883",
      description = "Server port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--protocol",
      defaultValue = "3.1.1",
      description = "MQTT version: 3.1.1 or 5 (default: ${DEFAULT-VALUE}).")
  String protocol;

  @Option(names = "--qos", description = "QoS of publishes and subscriptions: 0, 1 or 2.")
  Integer qos;

  @Option(
      names = "--payload-bytes",
      defaultValue = "64",
      description = "Payload size, at least 16 (default: ${DEFAULT-VALUE}).")
  int payloadBytes;

  @Option(
      names = "--rate",
      defaultValue = "0",
      description =
          "Total publish rate in messages/s across publishers; 0 = as fast as the in-flight window allows (default).")
  double rate;

  @Option(
      names = "--duration",
      defaultValue = "30",
      description = "Upper bound of the measured phase in seconds (default: ${DEFAULT-VALUE}).")
  double durationSeconds;

  @Option(
      names = "--messages",
      description = "Messages to publish in the measured phase (across publishers).")
  Long messages;

  @Option(
      names = "--clients",
      description =
          "Publishers (fan-in), subscribers (fan-out), pairs (p2p) or connections (idle).")
  Integer clients;

  @Option(
      names = "--warmup",
      defaultValue = "2",
      description =
          "Seconds of unmeasured traffic before measuring, to warm up JITs on both sides (default: ${DEFAULT-VALUE}).")
  double warmupSeconds;

  @Option(
      names = "--inflight",
      description = "Per publisher: messages published but not yet delivered before it waits.")
  Integer inflight;

  @Option(
      names = "--threads",
      defaultValue = "1",
      description =
          "Event-loop threads of the load tool; it shares the machine with the server (default: ${DEFAULT-VALUE}).")
  int threads;

  @Option(
      names = "--connect-concurrency",
      defaultValue = "100",
      description = "CONNECTs awaiting CONNACK at once (default: ${DEFAULT-VALUE}).")
  int connectConcurrency;

  @Option(
      names = "--keepalive",
      defaultValue = "60",
      description = "MQTT keep-alive in seconds, 0 = off (default: ${DEFAULT-VALUE}).")
  int keepAliveSeconds;

  @Option(
      names = "--drain-timeout",
      defaultValue = "10",
      description =
          "Seconds without a delivery after which missing messages count as lost (default: ${DEFAULT-VALUE}).")
  double drainTimeoutSeconds;

  @Option(names = "--tls", description = "Connect with TLS.")
  boolean tls;

  @Option(
      names = "--cafile",
      description = "PEM CA certificate(s) that sign the server certificate (with --tls).")
  Path caFile;

  @Option(names = "--cert", description = "PEM client certificate (with --tls).")
  Path certFile;

  @Option(
      names = "--key",
      description =
          "PEM private key of the client certificate (PKCS#8, or PKCS#1 when BouncyCastle is present).")
  Path keyFile;

  @Option(
      names = "--insecure",
      description = "With --tls and no --cafile: accept any server certificate.")
  boolean insecure;

  @Option(
      names = "--server-pid",
      description = "Server process to sample for CPU time and RSS (Linux /proc).")
  long serverPid;

  @Option(
      names = "--label",
      defaultValue = "server",
      description = "Name of the target in the output, e.g. mosquitto or pylon.")
  String label;

  @Option(names = "--json-out", description = "Append the JSON result line to this file as well.")
  Path jsonOut;

  @Option(
      names = "--client-id-prefix",
      description = "Client id prefix (default: pb-<random>), so concurrent runs do not collide.")
  String clientIdPrefix;

  LoadSettings resolve(ScenarioDefaults defaults) {
    require(!host.isBlank(), "--host must not be empty");
    require(port >= 1 && port <= 65535, "--port must be 1..65535, was " + port);
    MqttVersion version =
        switch (protocol) {
          case "3.1.1", "3", "311", "4" -> MqttVersion.MQTT_3_1_1;
          case "5", "5.0" -> MqttVersion.MQTT_5;
          default ->
              throw new IllegalArgumentException("--protocol must be 3.1.1 or 5, was " + protocol);
        };
    int q = qos != null ? qos : defaults.qos();
    require(q >= 0 && q <= 2, "--qos must be 0, 1 or 2, was " + q);
    require(
        payloadBytes >= MIN_PAYLOAD_BYTES && payloadBytes <= MAX_PAYLOAD_BYTES,
        "--payload-bytes must be "
            + MIN_PAYLOAD_BYTES
            + ".."
            + MAX_PAYLOAD_BYTES
            + " (the first "
            + MIN_PAYLOAD_BYTES
            + " bytes carry the send time), was "
            + payloadBytes);
    require(Double.isFinite(rate) && rate >= 0, "--rate must be >= 0 (0 = peak), was " + rate);
    require(
        Double.isFinite(durationSeconds) && durationSeconds > 0 && durationSeconds <= 3600,
        "--duration must be in (0, 3600] seconds, was " + durationSeconds);
    long m = messages != null ? messages : defaults.messages();
    require(m >= 1, "--messages must be >= 1, was " + m);
    int c = clients != null ? clients : defaults.clients();
    require(c >= 1 && c <= 100_000, "--clients must be 1..100000, was " + c);
    require(
        Double.isFinite(warmupSeconds) && warmupSeconds >= 0 && warmupSeconds <= 600,
        "--warmup must be in [0, 600] seconds, was " + warmupSeconds);
    int w = inflight != null ? inflight : defaults.inflight();
    // Packet identifiers are 16-bit and reused in order, so a larger window could reuse an id still
    // in flight.
    require(w >= 1 && w <= 65_535, "--inflight must be 1..65535, was " + w);
    require(threads >= 1 && threads <= 64, "--threads must be 1..64, was " + threads);
    require(
        connectConcurrency >= 1 && connectConcurrency <= 10_000,
        "--connect-concurrency must be 1..10000, was " + connectConcurrency);
    require(
        keepAliveSeconds >= 0 && keepAliveSeconds <= 65_535,
        "--keepalive must be 0..65535, was " + keepAliveSeconds);
    require(
        Double.isFinite(drainTimeoutSeconds)
            && drainTimeoutSeconds > 0
            && drainTimeoutSeconds <= 600,
        "--drain-timeout must be in (0, 600] seconds, was " + drainTimeoutSeconds);
    require(serverPid >= 0, "--server-pid must be a process id, was " + serverPid);
    if (serverPid > 0) {
      require(
          Files.isReadable(Path.of("/proc", Long.toString(serverPid), "stat")),
          "--server-pid " + serverPid + ": no such process (or /proc is not readable)");
    }
    require(!label.isBlank(), "--label must not be empty");
    TlsSettings tlsSettings = resolveTls();
    String prefix =
        clientIdPrefix != null
            ? clientIdPrefix
            : "pb-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    require(
        !prefix.isEmpty()
            && prefix.length() <= 64
            && prefix
                .chars()
                .allMatch(ch -> ch > 0x20 && ch < 0x7f && ch != '+' && ch != '#' && ch != '/'),
        "--client-id-prefix must be 1..64 printable ASCII characters without + # /");
    return new LoadSettings(
        host,
        port,
        version,
        q,
        payloadBytes,
        rate,
        seconds(durationSeconds),
        m,
        c,
        seconds(warmupSeconds),
        w,
        threads,
        connectConcurrency,
        keepAliveSeconds,
        seconds(drainTimeoutSeconds),
        tlsSettings,
        serverPid,
        label,
        jsonOut,
        prefix);
  }

  /** Fails early, with a hint, when the scenario needs more sockets than this process may open. */
  static void checkConnectionBudget(int connections, long fdLimit) {
    require(
        connections + RESERVED_FDS <= fdLimit,
        connections
            + " connections do not fit the open-file limit of "
            + fdLimit
            + " (ulimit -n) with "
            + RESERVED_FDS
            + " descriptors to spare: raise the limit or lower --clients");
  }

  private TlsSettings resolveTls() {
    boolean anyTlsOption = caFile != null || certFile != null || keyFile != null || insecure;
    if (!tls) {
      require(!anyTlsOption, "--cafile, --cert, --key and --insecure need --tls");
      return null;
    }
    require((certFile == null) == (keyFile == null), "--cert and --key go together");
    require(
        caFile != null || insecure,
        "--tls needs --cafile to verify the server, or --insecure to skip that");
    require(caFile == null || !insecure, "--cafile and --insecure contradict each other");
    for (Path p : new Path[] {caFile, certFile, keyFile}) {
      require(p == null || Files.isReadable(p), "cannot read " + p);
    }
    return new TlsSettings(caFile, certFile, keyFile);
  }

  /** The soft RLIMIT_NOFILE of this process, from /proc; unknown counts as unlimited. */
  static long openFileLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (Exception e) {
      // Not Linux, or /proc is hidden: the connect phase reports EMFILE itself if it comes to that.
    }
    return Long.MAX_VALUE;
  }

  private static Duration seconds(double s) {
    return Duration.ofNanos(Math.round(s * 1e9));
  }

  static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
