package io.pylon.domain.rules.sql;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The message metadata and environment every SQL test evaluates against. */
final class TestMessages {

  static final long NOW = 1481825251155L;

  private TestMessages() {}

  static IncomingMessage message(String topic, byte[] payload) {
    return IncomingMessage.builder(topic, payload)
        .clientId("device-7")
        .principal("ba67293af50bf2506f5f93469686da660c7c844e7b3950bfb16813e0d31e9373")
        .sourceIp("10.1.2.3")
        .traceId("12345678-1234-1234-1234-123456789012")
        .timestampMillis(NOW - 5)
        .contentType("application/json")
        .payloadFormatIndicator(1)
        .responseTopic("replies/device-7")
        .correlationData("corr-1".getBytes(StandardCharsets.UTF_8))
        .userProperties(
            List.of(Map.entry("site", "north"), Map.entry("line", "4"), Map.entry("site", "south")))
        .build();
  }

  static IncomingMessage message(String topic, String payload) {
    return message(topic, payload.getBytes(StandardCharsets.UTF_8));
  }

  static final SqlEnvironment ENV =
      new SqlEnvironment() {
        @Override
        public String accountId() {
          return "123456789012";
        }

        @Override
        public long nowMillis() {
          return NOW;
        }

        @Override
        public Optional<String> thingShadow(String thingName, String shadowNameOrNull) {
          if (!thingName.equals("MyThing")) {
            return Optional.empty();
          }
          if (shadowNameOrNull == null) {
            return Optional.of(
                "{\"state\":{\"reported\":{\"alarm\":\"ON\",\"temp\":21.5}},\"version\":3}");
          }
          if (shadowNameOrNull.equals("MyThingShadow")) {
            return Optional.of("{\"state\":{\"reported\":{\"alarm\":\"OFF\"}},\"version\":7}");
          }
          return Optional.empty();
        }

        @Override
        public String ruleName() {
          return "test_rule";
        }
      };
}
