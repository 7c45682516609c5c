package io.pylon.mqtt.broker;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Per-listener protocol behaviour and limits. The {@link #aws()} defaults equal AWS IoT Core's
 * published quotas; the {@link #mqtt()} defaults follow the MQTT specification with bounds that
 * keep one connection from exhausting the server.
 *
 * <p>Configuration sets fields by their kebab-case key through {@link Builder#set(String, String)},
 * so a configuration file names exactly the keys listed in {@link Builder#keys()}.
 *
 * @param maxPacketSize largest packet accepted from a client, bytes (AWS: 128 KB)
 * @param maxClientIdLength longest client identifier, UTF-8 bytes (AWS: 128)
 * @param maxTopicLength longest topic name or filter, UTF-8 bytes (AWS: 256)
 * @param maxTopicLevels most levels in a topic name or filter (AWS: 8)
 * @param maxFiltersPerSubscribe most topic filters in one SUBSCRIBE (AWS: 8)
 * @param maxSubscriptionsPerConnection most subscriptions of one session (AWS: 50)
 * @param maxPublishesPerSecond PUBLISH packets per second per connection, inbound and outbound
 *     together, 0 = unlimited (AWS: 100). Inbound ones beyond it are discarded; outbound QoS 0 ones
 *     are dropped and QoS 1/2 ones wait in the session queue, which also paces the replay of stored
 *     messages to a reconnecting client
 * @param receiveMaximum in-flight inbound QoS 1/2 messages per client (AWS: 100)
 * @param maxInflightOutbound in-flight outbound QoS 1/2 messages per client (AWS: 100)
 * @param maxQueuedMessages messages queued per session beyond the in-flight window, online or
 *     offline
 * @param maxOutboundBytes bytes buffered for a slow consumer before QoS 0 messages are dropped
 * @param maxQos highest QoS granted and accepted (AWS: 1)
 * @param topicAliasMaximum topic aliases accepted from a client and used towards it (AWS: 8)
 * @param subscriptionIdentifiers whether subscription identifiers are available (AWS: no)
 * @param retainedOnExactFilterOnly retained messages sent on subscribe only for wildcard-free
 *     filters (AWS)
 * @param allowOtherDollarTopics whether clients may use {@code $} topics other than {@code $aws/}
 * @param keepAliveMin smallest keep-alive granted, seconds, 0 = no clamp (AWS: 30)
 * @param keepAliveMax largest keep-alive granted (and the value for 0), seconds, 0 = no clamp (AWS:
 *     1200)
 * @param maxSessionExpirySeconds longest session expiry interval granted (AWS: 3600)
 * @param maxMessageExpirySeconds longest message expiry interval, 0 = unlimited (AWS: 604800)
 * @param maxUserPropertyBytes total bytes of user properties in one packet (AWS: 8 KB)
 * @param minSecondsBetweenConnects per client id: CONNECTs closer together are throttled, 0 = off
 *     (AWS: 1)
 * @param maxConnectsPerSecond new connections accepted per second on one listener (flood guard)
 * @param maxBytesPerSecond bytes per second per connection in each direction, 0 = unlimited;
 *     traffic beyond it is delayed, not dropped (AWS: 512 KiB/s)
 * @param redeliveryWindowSeconds how long a sent QoS 1/2 message may stay unacknowledged before the
 *     server gives up on it, 0 = for ever (AWS: 3600)
 */
public record BrokerLimits(
    int maxPacketSize,
    int maxClientIdLength,
    int maxTopicLength,
    int maxTopicLevels,
    int maxFiltersPerSubscribe,
    int maxSubscriptionsPerConnection,
    int maxPublishesPerSecond,
    int receiveMaximum,
    int maxInflightOutbound,
    int maxQueuedMessages,
    int maxOutboundBytes,
    int maxQos,
    int topicAliasMaximum,
    boolean subscriptionIdentifiers,
    boolean retainedOnExactFilterOnly,
    boolean allowOtherDollarTopics,
    int keepAliveMin,
    int keepAliveMax,
    long maxSessionExpirySeconds,
    long maxMessageExpirySeconds,
    int maxUserPropertyBytes,
    int minSecondsBetweenConnects,
    int maxConnectsPerSecond,
    int maxBytesPerSecond,
    long redeliveryWindowSeconds) {

  /** Session expiry interval meaning "never expires" in MQTT 5. */
  public static final long NEVER_EXPIRES = 0xFFFFFFFFL;

  public BrokerLimits {
    requireRange("max-packet-size", maxPacketSize, 64, 268_435_455);
    requireRange("max-client-id-length", maxClientIdLength, 1, 65_535);
    requireRange("max-topic-length", maxTopicLength, 1, 65_535);
    requireRange("max-topic-levels", maxTopicLevels, 1, 65_535);
    requireRange("max-filters-per-subscribe", maxFiltersPerSubscribe, 1, 65_535);
    requireRange("max-subscriptions-per-connection", maxSubscriptionsPerConnection, 1, 1_000_000);
    requireRange("max-publishes-per-second", maxPublishesPerSecond, 0, 10_000_000);
    requireRange("receive-maximum", receiveMaximum, 1, 65_535);
    requireRange("max-inflight-outbound", maxInflightOutbound, 1, 65_535);
    requireRange("max-queued-messages", maxQueuedMessages, 0, 10_000_000);
    requireRange("max-outbound-bytes", maxOutboundBytes, 1024, Integer.MAX_VALUE);
    requireRange("max-qos", maxQos, 0, 2);
    requireRange("topic-alias-maximum", topicAliasMaximum, 0, 65_535);
    requireRange("keep-alive-min", keepAliveMin, 0, 65_535);
    requireRange("keep-alive-max", keepAliveMax, 0, 65_535);
    if (keepAliveMax != 0 && keepAliveMin > keepAliveMax) {
      throw new IllegalArgumentException("keep-alive-min must not exceed keep-alive-max");
    }
    requireRange("max-session-expiry-seconds", maxSessionExpirySeconds, 0, NEVER_EXPIRES);
    requireRange("max-message-expiry-seconds", maxMessageExpirySeconds, 0, NEVER_EXPIRES);
    requireRange("max-user-property-bytes", maxUserPropertyBytes, 0, 268_435_455);
    requireRange("min-seconds-between-connects", minSecondsBetweenConnects, 0, 3600);
    requireRange("max-connects-per-second", maxConnectsPerSecond, 1, 10_000_000);
    requireRange("max-bytes-per-second", maxBytesPerSecond, 0, Integer.MAX_VALUE);
    requireRange("redelivery-window-seconds", redeliveryWindowSeconds, 0, NEVER_EXPIRES);
  }

  /** AWS IoT Core's quotas and deviations (see the reference limits table). */
  public static BrokerLimits aws() {
    return new BrokerLimits(
        131_072,
        128,
        256,
        8,
        8,
        50,
        100,
        100,
        100,
        1_000,
        1 << 20,
        1,
        8,
        false,
        true,
        false,
        30,
        1200,
        3600,
        604_800,
        8192,
        1,
        2000,
        512 * 1024,
        3600);
  }

  /** The MQTT specification, bounded so that one client cannot exhaust the server. */
  public static BrokerLimits mqtt() {
    return new BrokerLimits(
        1 << 20,
        65_535,
        65_535,
        65_535,
        1000,
        100_000,
        0,
        1024,
        1024,
        10_000,
        4 << 20,
        2,
        100,
        true,
        false,
        true,
        0,
        0,
        NEVER_EXPIRES,
        0,
        65_536,
        0,
        5000,
        0,
        0);
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  private static void requireRange(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          key + " must be between " + min + " and " + max + ", was " + value);
    }
  }

  /** Builds limits from a base profile and kebab-case overrides, validating each key. */
  public static final class Builder {
    private static final Map<String, BiConsumer<Builder, String>> SETTERS = new LinkedHashMap<>();

    static {
      SETTERS.put("max-packet-size", (b, v) -> b.maxPacketSize = intValue(v));
      SETTERS.put("max-client-id-length", (b, v) -> b.maxClientIdLength = intValue(v));
      SETTERS.put("max-topic-length", (b, v) -> b.maxTopicLength = intValue(v));
      SETTERS.put("max-topic-levels", (b, v) -> b.maxTopicLevels = intValue(v));
      SETTERS.put("max-filters-per-subscribe", (b, v) -> b.maxFiltersPerSubscribe = intValue(v));
      SETTERS.put(
          "max-subscriptions-per-connection",
          (b, v) -> b.maxSubscriptionsPerConnection = intValue(v));
      SETTERS.put("max-publishes-per-second", (b, v) -> b.maxPublishesPerSecond = intValue(v));
      SETTERS.put("receive-maximum", (b, v) -> b.receiveMaximum = intValue(v));
      SETTERS.put("max-inflight-outbound", (b, v) -> b.maxInflightOutbound = intValue(v));
      SETTERS.put("max-queued-messages", (b, v) -> b.maxQueuedMessages = intValue(v));
      SETTERS.put("max-outbound-bytes", (b, v) -> b.maxOutboundBytes = intValue(v));
      SETTERS.put("max-qos", (b, v) -> b.maxQos = intValue(v));
      SETTERS.put("topic-alias-maximum", (b, v) -> b.topicAliasMaximum = intValue(v));
      SETTERS.put("subscription-identifiers", (b, v) -> b.subscriptionIdentifiers = boolValue(v));
      SETTERS.put(
          "retained-on-exact-filter-only", (b, v) -> b.retainedOnExactFilterOnly = boolValue(v));
      SETTERS.put("allow-other-dollar-topics", (b, v) -> b.allowOtherDollarTopics = boolValue(v));
      SETTERS.put("keep-alive-min", (b, v) -> b.keepAliveMin = intValue(v));
      SETTERS.put("keep-alive-max", (b, v) -> b.keepAliveMax = intValue(v));
      SETTERS.put("max-session-expiry-seconds", (b, v) -> b.maxSessionExpirySeconds = longValue(v));
      SETTERS.put("max-message-expiry-seconds", (b, v) -> b.maxMessageExpirySeconds = longValue(v));
      SETTERS.put("max-user-property-bytes", (b, v) -> b.maxUserPropertyBytes = intValue(v));
      SETTERS.put(
          "min-seconds-between-connects", (b, v) -> b.minSecondsBetweenConnects = intValue(v));
      SETTERS.put("max-connects-per-second", (b, v) -> b.maxConnectsPerSecond = intValue(v));
      SETTERS.put("max-bytes-per-second", (b, v) -> b.maxBytesPerSecond = intValue(v));
      SETTERS.put("redelivery-window-seconds", (b, v) -> b.redeliveryWindowSeconds = longValue(v));
    }

    private int maxPacketSize;
    private int maxClientIdLength;
    private int maxTopicLength;
    private int maxTopicLevels;
    private int maxFiltersPerSubscribe;
    private int maxSubscriptionsPerConnection;
    private int maxPublishesPerSecond;
    private int receiveMaximum;
    private int maxInflightOutbound;
    private int maxQueuedMessages;
    private int maxOutboundBytes;
    private int maxQos;
    private int topicAliasMaximum;
    private boolean subscriptionIdentifiers;
    private boolean retainedOnExactFilterOnly;
    private boolean allowOtherDollarTopics;
    private int keepAliveMin;
    private int keepAliveMax;
    private long maxSessionExpirySeconds;
    private long maxMessageExpirySeconds;
    private int maxUserPropertyBytes;
    private int minSecondsBetweenConnects;
    private int maxConnectsPerSecond;
    private int maxBytesPerSecond;
    private long redeliveryWindowSeconds;

    private Builder(BrokerLimits base) {
      maxPacketSize = base.maxPacketSize;
      maxClientIdLength = base.maxClientIdLength;
      maxTopicLength = base.maxTopicLength;
      maxTopicLevels = base.maxTopicLevels;
      maxFiltersPerSubscribe = base.maxFiltersPerSubscribe;
      maxSubscriptionsPerConnection = base.maxSubscriptionsPerConnection;
      maxPublishesPerSecond = base.maxPublishesPerSecond;
      receiveMaximum = base.receiveMaximum;
      maxInflightOutbound = base.maxInflightOutbound;
      maxQueuedMessages = base.maxQueuedMessages;
      maxOutboundBytes = base.maxOutboundBytes;
      maxQos = base.maxQos;
      topicAliasMaximum = base.topicAliasMaximum;
      subscriptionIdentifiers = base.subscriptionIdentifiers;
      retainedOnExactFilterOnly = base.retainedOnExactFilterOnly;
      allowOtherDollarTopics = base.allowOtherDollarTopics;
      keepAliveMin = base.keepAliveMin;
      keepAliveMax = base.keepAliveMax;
      maxSessionExpirySeconds = base.maxSessionExpirySeconds;
      maxMessageExpirySeconds = base.maxMessageExpirySeconds;
      maxUserPropertyBytes = base.maxUserPropertyBytes;
      minSecondsBetweenConnects = base.minSecondsBetweenConnects;
      maxConnectsPerSecond = base.maxConnectsPerSecond;
      maxBytesPerSecond = base.maxBytesPerSecond;
      redeliveryWindowSeconds = base.redeliveryWindowSeconds;
    }

    /** The keys {@link #set} accepts, in documentation order. */
    public static Iterable<String> keys() {
      return SETTERS.keySet();
    }

    /**
     * Sets one limit by its kebab-case key.
     *
     * @throws IllegalArgumentException naming the key when it is unknown or the value malformed
     */
    public Builder set(String key, String value) {
      BiConsumer<Builder, String> setter = SETTERS.get(key);
      if (setter == null) {
        throw new IllegalArgumentException("unknown limit '" + key + "'");
      }
      try {
        setter.accept(this, value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(key + " must be a whole number, was '" + value + "'");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(key + " " + e.getMessage());
      }
      return this;
    }

    public BrokerLimits build() {
      return new BrokerLimits(
          maxPacketSize,
          maxClientIdLength,
          maxTopicLength,
          maxTopicLevels,
          maxFiltersPerSubscribe,
          maxSubscriptionsPerConnection,
          maxPublishesPerSecond,
          receiveMaximum,
          maxInflightOutbound,
          maxQueuedMessages,
          maxOutboundBytes,
          maxQos,
          topicAliasMaximum,
          subscriptionIdentifiers,
          retainedOnExactFilterOnly,
          allowOtherDollarTopics,
          keepAliveMin,
          keepAliveMax,
          maxSessionExpirySeconds,
          maxMessageExpirySeconds,
          maxUserPropertyBytes,
          minSecondsBetweenConnects,
          maxConnectsPerSecond,
          maxBytesPerSecond,
          redeliveryWindowSeconds);
    }

    private static int intValue(String v) {
      return Integer.parseInt(v.replace("_", ""));
    }

    private static long longValue(String v) {
      return Long.parseLong(v.replace("_", ""));
    }

    private static boolean boolValue(String v) {
      if (v.equalsIgnoreCase("true")) {
        return true;
      }
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
      throw new IllegalArgumentException("must be true or false, was '" + v + "'");
    }
  }
}
