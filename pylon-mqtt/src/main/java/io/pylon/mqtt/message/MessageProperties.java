package io.pylon.mqtt.message;

import java.util.List;

/**
 * The MQTT 5 properties that travel with an application message from publisher to subscribers.
 *
 * <p>Most messages carry none, so {@link #NONE} is shared and the broker never allocates an empty
 * instance on the message path. Message expiry is not here: it is converted to an absolute deadline
 * on receipt ({@link ApplicationMessage#expiresAtMillis()}) so queued and retained copies age
 * correctly.
 *
 * @param payloadFormatIndicator 1 when the payload is declared UTF-8, 0 or null otherwise
 * @param contentType MIME-like content type, or null
 * @param responseTopic topic the publisher wants answers on, or null
 * @param correlationData opaque bytes echoed with a response, or null
 * @param userProperties user properties in order; never null
 */
public record MessageProperties(
    Integer payloadFormatIndicator,
    String contentType,
    String responseTopic,
    byte[] correlationData,
    List<UserProperty> userProperties) {

  public static final MessageProperties NONE =
      new MessageProperties(null, null, null, null, List.of());

  public MessageProperties {
    userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
  }

  public boolean isEmpty() {
    return payloadFormatIndicator == null
        && contentType == null
        && responseTopic == null
        && correlationData == null
        && userProperties.isEmpty();
  }
}
