package io.pylon.server.authorization;

import io.pylon.domain.policy.language.AuthorizationRequest;
import io.pylon.domain.policy.language.PreparedPolicies;
import io.pylon.mqtt.spi.Action;
import java.util.HashMap;
import java.util.Map;

/**
 * One connection's policies, bound to its context, and the decisions taken so far.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>Threading: checks run on the connection's event loop only, so the decision cache is a plain
 *       map. A change (new policies, new attachment) installs a new {@link Bound} from another
 *       thread through one volatile write; the loop picks it up on its next check and never sees a
 *       cache that belongs to other policies.
 *   <li>Cost: a cached decision is one map lookup keyed by the topic or filter as the client sent
 *       it; the resource ARN is built only on a miss. Each action's cache is bounded and cleared
 *       when full, so a client cycling through unique topics cannot grow it.
 * </ul>
 */
public final class ConnectionPolicy {

  static final int MAX_CACHED_DECISIONS = 512;

  private final DeviceContext device;
  private volatile Bound bound;

  ConnectionPolicy(DeviceContext device, PreparedPolicies policies) {
    this.device = device;
    this.bound = new Bound(policies);
  }

  DeviceContext device() {
    return device;
  }

  /** Replaces the policies; called from any thread. */
  void rebind(PreparedPolicies policies) {
    bound = new Bound(policies);
  }

  /**
   * Whether the connection may do {@code action} on {@code resource} (client id, topic or topic
   * filter). Called on the connection's event loop.
   */
  boolean allows(Action action, String resource, String arnPrefix) {
    Bound current = bound;
    Map<String, Boolean> cache = current.decisions[action.ordinal()];
    Boolean cached = cache.get(resource);
    if (cached != null) {
      return cached;
    }
    boolean allowed =
        current.policies.allows(actionName(action), arnPrefix + resourceType(action) + resource);
    if (cache.size() >= MAX_CACHED_DECISIONS) {
      cache.clear();
    }
    cache.put(resource, allowed);
    return allowed;
  }

  static String actionName(Action action) {
    switch (action) {
      case CONNECT:
        return AuthorizationRequest.CONNECT;
      case PUBLISH:
        return AuthorizationRequest.PUBLISH;
      case RETAIN_PUBLISH:
        return AuthorizationRequest.RETAIN_PUBLISH;
      case SUBSCRIBE:
        return AuthorizationRequest.SUBSCRIBE;
      case RECEIVE:
        return AuthorizationRequest.RECEIVE;
      default:
        throw new IllegalArgumentException("no IoT action for " + action);
    }
  }

  /** The resource type in the ARN: AWS names clients, topics and topic filters differently. */
  static String resourceType(Action action) {
    switch (action) {
      case CONNECT:
        return "client/";
      case SUBSCRIBE:
        return "topicfilter/";
      default:
        return "topic/";
    }
  }

  /** Policies and the decisions taken with them. */
  private static final class Bound {
    final PreparedPolicies policies;

    @SuppressWarnings("unchecked")
    final Map<String, Boolean>[] decisions = new Map[Action.values().length];

    Bound(PreparedPolicies policies) {
      this.policies = policies;
      for (int i = 0; i < decisions.length; i++) {
        decisions[i] = new HashMap<>();
      }
    }
  }
}
