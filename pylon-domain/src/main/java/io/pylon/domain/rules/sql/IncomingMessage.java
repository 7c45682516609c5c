package io.pylon.domain.rules.sql;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One published message as every topic rule sees it. The payload is parsed on first use and the
 * result kept, so a hundred rules on one message parse it once (once per SQL number model:
 * 2016-03-23 reads {@code 10.0} as Int). Safe to share between threads: a race parses twice and
 * keeps either result, both equal.
 */
public final class IncomingMessage {

  private static final Object UNPARSED = new Object();

  /** Parse result for a payload that is not JSON. */
  private static final Object BINARY = new Object();

  private final String topic;
  private final byte[] payload;
  private final String clientId;
  private final String principal;
  private final String sourceIp;
  private final long timestampMillis;
  private final String traceId;
  private final String contentType;
  private final Integer payloadFormatIndicator;
  private final String responseTopic;
  private final byte[] correlationData;
  private final List<Map.Entry<String, String>> userProperties;

  private volatile Object parsed2015 = UNPARSED;
  private volatile Object parsed2016 = UNPARSED;
  private volatile String[] topicLevels;

  private IncomingMessage(Builder b) {
    this.topic = Objects.requireNonNull(b.topic, "topic");
    this.payload = b.payload == null ? new byte[0] : b.payload;
    this.clientId = b.clientId;
    this.principal = b.principal;
    this.sourceIp = b.sourceIp;
    this.timestampMillis = b.timestampMillis;
    this.traceId = b.traceId;
    this.contentType = b.contentType;
    this.payloadFormatIndicator = b.payloadFormatIndicator;
    this.responseTopic = b.responseTopic;
    this.correlationData = b.correlationData;
    this.userProperties = b.userProperties == null ? List.of() : b.userProperties;
  }

  /** A message with only a topic and payload (HTTP publishes, tests); other fields unset. */
  public static IncomingMessage of(String topic, byte[] payload) {
    return builder(topic, payload).build();
  }

  /**
   * Every field at once, as the broker has them for an MQTT publish; any of them but topic and
   * payload may be null ({@code clientId} null makes {@code clientid()} "n/a").
   */
  public static IncomingMessage of(
      String topic,
      byte[] payload,
      String clientId,
      String principal,
      String sourceIp,
      long timestampMillis,
      String traceId,
      String contentType,
      Integer payloadFormatIndicator,
      String responseTopic,
      byte[] correlationData,
      List<Map.Entry<String, String>> userProperties) {
    return builder(topic, payload)
        .clientId(clientId)
        .principal(principal)
        .sourceIp(sourceIp)
        .timestampMillis(timestampMillis)
        .traceId(traceId)
        .contentType(contentType)
        .payloadFormatIndicator(payloadFormatIndicator)
        .responseTopic(responseTopic)
        .correlationData(correlationData)
        .userProperties(userProperties)
        .build();
  }

  public static Builder builder(String topic, byte[] payload) {
    return new Builder(topic, payload);
  }

  /**
   * Everything optional about a message; unset means "not known" (e.g. not published over MQTT).
   */
  public static final class Builder {
    private final String topic;
    private final byte[] payload;
    private String clientId;
    private String principal;
    private String sourceIp;
    private long timestampMillis;
    private String traceId;
    private String contentType;
    private Integer payloadFormatIndicator;
    private String responseTopic;
    private byte[] correlationData;
    private List<Map.Entry<String, String>> userProperties;

    private Builder(String topic, byte[] payload) {
      this.topic = topic;
      this.payload = payload;
    }

    public Builder clientId(String v) {
      clientId = v;
      return this;
    }

    public Builder principal(String v) {
      principal = v;
      return this;
    }

    public Builder sourceIp(String v) {
      sourceIp = v;
      return this;
    }

    public Builder timestampMillis(long v) {
      timestampMillis = v;
      return this;
    }

    public Builder traceId(String v) {
      traceId = v;
      return this;
    }

    public Builder contentType(String v) {
      contentType = v;
      return this;
    }

    public Builder payloadFormatIndicator(Integer v) {
      payloadFormatIndicator = v;
      return this;
    }

    public Builder responseTopic(String v) {
      responseTopic = v;
      return this;
    }

    public Builder correlationData(byte[] v) {
      correlationData = v;
      return this;
    }

    public Builder userProperties(List<Map.Entry<String, String>> v) {
      userProperties = v;
      return this;
    }

    public IncomingMessage build() {
      return new IncomingMessage(this);
    }
  }

  public String topic() {
    return topic;
  }

  public byte[] payload() {
    return payload;
  }

  /** {@code null} when the message did not come over MQTT ({@code clientid()} is then "n/a"). */
  public String clientId() {
    return clientId;
  }

  public String principal() {
    return principal;
  }

  public String sourceIp() {
    return sourceIp;
  }

  public long timestampMillis() {
    return timestampMillis;
  }

  public String traceId() {
    return traceId;
  }

  public String contentType() {
    return contentType;
  }

  public Integer payloadFormatIndicator() {
    return payloadFormatIndicator;
  }

  public String responseTopic() {
    return responseTopic;
  }

  public byte[] correlationData() {
    return correlationData;
  }

  public List<Map.Entry<String, String>> userProperties() {
    return userProperties;
  }

  /** Whether the payload is a JSON text (any JSON value, not only an object). */
  public boolean isJson() {
    return parsedRaw(false) != BINARY;
  }

  /**
   * The payload as an SQL value (shared: callers must not modify it), or Undefined when it is not
   * JSON.
   */
  Object parsed(boolean wholeAsInt) {
    Object v = parsedRaw(wholeAsInt);
    return v == BINARY ? Values.UNDEFINED : v;
  }

  /** The value {@code *} stands for: the parsed JSON, or the raw bytes of a binary payload. */
  Object star(boolean wholeAsInt) {
    Object v = parsedRaw(wholeAsInt);
    return v == BINARY ? new Values.Raw(payload) : v;
  }

  private Object parsedRaw(boolean wholeAsInt) {
    Object v = wholeAsInt ? parsed2016 : parsed2015;
    if (v == UNPARSED) {
      Object p = JsonReader.parse(payload, wholeAsInt);
      v = p == null ? BINARY : p;
      if (wholeAsInt) {
        parsed2016 = v;
      } else {
        parsed2015 = v;
      }
    }
    return v;
  }

  /** Topic levels, split once. */
  String[] topicLevels() {
    String[] levels = topicLevels;
    if (levels == null) {
      levels = topic.split("/", -1);
      topicLevels = levels;
    }
    return levels;
  }
}
