package io.pylon.server;

import io.pylon.server.cli.PylonVersion;
import io.pylon.server.config.ListenerConfig;
import io.pylon.server.config.PylonConfig;
import java.util.Map;

/** The start-up banner: every endpoint, the files a client needs, and one command that works. */
final class Banner {

  private Banner() {}

  static String render(PylonServer server, String runtime, long startMillis) {
    PylonConfig config = server.config();
    Map<String, Integer> ports = server.ports();
    StringBuilder b = new StringBuilder();
    b.append("Pylon ")
        .append(PylonVersion.version())
        .append(" started in ")
        .append(startMillis)
        .append(" ms (")
        .append(runtime)
        .append(")\n");
    for (ListenerConfig l : config.enabledListeners()) {
      String host = hostFor(l.bind());
      int port = ports.get(l.name());
      String profile = l.profile().name().toLowerCase();
      switch (l.name()) {
        case ListenerConfig.MQTTS:
          row(
              b,
              "MQTT over TLS",
              "mqtts://" + host + ":" + port,
              "client certificate required, profile " + profile);
          break;
        case ListenerConfig.HTTPS:
          row(
              b,
              "HTTPS",
              "https://" + host + ":" + port,
              "AWS REST APIs (iot, iot-data, iot-jobs-data), MQTT over WebSocket at /mqtt, MQTT with ALPN x-amzn-mqtt-ca, /metrics");
          break;
        case ListenerConfig.MQTT:
          row(
              b,
              "MQTT",
              "mqtt://" + host + ":" + port,
              (l.allowsAnonymous() ? "anonymous allowed (loopback only)" : "credentials required")
                  + ", profile "
                  + profile);
          break;
        default:
          row(b, l.name(), host + ":" + port, profile);
      }
    }
    // Paths can be long: they go last on their line.
    row(b, "CA certificate", "(trust this file in clients)", server.caFile().toString());
    if (config.aws().hasConfiguredKeys()) {
      row(
          b,
          "Admin credentials",
          "(from configuration)",
          "aws.access-key-id " + config.aws().accessKeyId());
    } else {
      row(
          b,
          "Admin credentials",
          "(AWS shared-credentials format)",
          server.credentialsFile().toString());
    }
    row(b, "Data directory", "", server.dataDir().toString());
    if (!config.storage().isEmbedded()) {
      row(b, "Database", "PostgreSQL", config.storage().urlWithoutParameters());
    }
    Integer plain = ports.get(ListenerConfig.MQTT);
    Integer tls = ports.get(ListenerConfig.MQTTS);
    if (plain != null && config.listener(ListenerConfig.MQTT).allowsAnonymous()) {
      String host = hostFor(config.listener(ListenerConfig.MQTT).bind());
      b.append("Try: mosquitto_sub -h ")
          .append(host)
          .append(" -p ")
          .append(plain)
          .append(" -t 'demo/#' -v   and then   mosquitto_pub -h ")
          .append(host)
          .append(" -p ")
          .append(plain)
          .append(" -t demo/hello -m 'hello pylon'");
    } else if (tls != null) {
      b.append("Try: mosquitto_sub --cafile ")
          .append(server.caFile())
          .append(" --cert device.pem --key device.key -h ")
          .append(hostFor(config.listener(ListenerConfig.MQTTS).bind()))
          .append(" -p ")
          .append(tls)
          .append(" -t 'demo/#' -v");
    }
    return b.toString();
  }

  private static void row(StringBuilder b, String what, String where, String note) {
    String line = String.format("  %-18s %-36s %s", what, where, note).stripTrailing();
    b.append(line).append('\n');
  }

  private static String hostFor(String bind) {
    if (bind.equals("0.0.0.0")) {
      return "127.0.0.1";
    }
    if (bind.equals("::") || bind.equals("[::]")) {
      return "[::1]";
    }
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }
}
