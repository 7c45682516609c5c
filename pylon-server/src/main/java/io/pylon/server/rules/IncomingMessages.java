package io.pylon.server.rules;

import io.pylon.domain.rules.sql.IncomingMessage;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.message.MessageProperties;
import io.pylon.mqtt.message.UserProperty;
import io.pylon.mqtt.spi.PublishOrigin;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a broker message into what the rules' SQL reads. */
final class IncomingMessages {

  private IncomingMessages() {}

  /**
   * @param topic the topic rules see: the message's, or a Basic Ingest topic without its prefix
   */
  static IncomingMessage of(
      ApplicationMessage message, String topic, PublishOrigin origin, long nowMillis) {
    MessageProperties p = message.properties();
    List<Map.Entry<String, String>> userProperties = List.of();
    if (!p.userProperties().isEmpty()) {
      userProperties = new ArrayList<>(p.userProperties().size());
      for (UserProperty u : p.userProperties()) {
        userProperties.add(new SimpleImmutableEntry<>(u.name(), u.value()));
      }
    }
    return IncomingMessage.builder(topic, message.payload())
        .clientId(origin.clientId())
        .principal(origin.principal().name())
        .sourceIp(origin.sourceIp())
        .timestampMillis(nowMillis)
        .traceId(RuleEngine.newTraceId())
        .contentType(p.contentType())
        .payloadFormatIndicator(p.payloadFormatIndicator())
        .responseTopic(p.responseTopic())
        .correlationData(p.correlationData())
        .userProperties(userProperties)
        .build();
  }
}
