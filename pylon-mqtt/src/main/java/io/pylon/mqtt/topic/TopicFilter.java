package io.pylon.mqtt.topic;

/**
 * A parsed topic filter: the filter to match and, for a shared subscription ({@code
 * $share/{group}/{filter}}), the share group.
 *
 * @param raw the filter exactly as the client sent it, the key of the subscription in its session
 * @param filter the filter matched against topic names (without the {@code $share/group/} prefix)
 * @param shareGroup the share group name, or null for an ordinary subscription
 */
public record TopicFilter(String raw, String filter, String shareGroup) {

  public boolean isShared() {
    return shareGroup != null;
  }

  public boolean hasWildcards() {
    return filter.indexOf('+') >= 0 || filter.indexOf('#') >= 0;
  }
}
