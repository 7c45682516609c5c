package io.pylon.domain.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One question of TestAuthorization: may the principal perform {@code actionType} on each of {@code
 * resources}?
 *
 * @param actionType the MQTT action; AWS's model leaves it optional
 * @param resources resource ARNs ({@code topic/...}, {@code topicfilter/...}, {@code client/...}),
 *     each at most 2048 characters
 */
public record AuthInfo(Optional<ActionType> actionType, List<String> resources) {

  /** The actions TestAuthorization can ask about, as the model spells them. */
  public enum ActionType {
    PUBLISH,
    SUBSCRIBE,
    RECEIVE,
    CONNECT
  }

  public AuthInfo {
    Objects.requireNonNull(actionType, "actionType");
    resources = List.copyOf(resources);
  }
}
