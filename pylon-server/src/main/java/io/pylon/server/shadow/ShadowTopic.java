package io.pylon.server.shadow;

import io.pylon.domain.shadow.ShadowId;
import java.util.Optional;

/**
 * A shadow request topic: {@code $aws/things/T/shadow/OP} or {@code $aws/things/T/shadow/name/S/OP}
 * with OP {@code get}, {@code update} or {@code delete}. Answer topics ({@code .../accepted},
 * {@code .../delta}, ...) are not requests.
 */
record ShadowTopic(ShadowId id, Operation operation) {

  enum Operation {
    GET("get"),
    UPDATE("update"),
    DELETE("delete");

    final String level;

    Operation(String level) {
      this.level = level;
    }

    static Optional<Operation> of(String level) {
      for (Operation o : values()) {
        if (o.level.equals(level)) {
          return Optional.of(o);
        }
      }
      return Optional.empty();
    }
  }

  static final String PREFIX = "$aws/things/";

  /** Cheap pre-test for every {@code $} topic. */
  static boolean looksLikeRequest(String topic) {
    return topic.startsWith(PREFIX)
        && (topic.endsWith("/get") || topic.endsWith("/update") || topic.endsWith("/delete"))
        && topic.contains("/shadow/");
  }

  /** The request a topic names; empty for other topics and for invalid names. */
  static Optional<ShadowTopic> parse(String topic) {
    if (!looksLikeRequest(topic)) {
      return Optional.empty();
    }
    String[] levels = topic.substring(PREFIX.length()).split("/", -1);
    // T/shadow/OP or T/shadow/name/S/OP
    Optional<Operation> operation = Operation.of(levels[levels.length - 1]);
    if (operation.isEmpty() || !levels[1].equals("shadow")) {
      return Optional.empty();
    }
    String shadowName;
    if (levels.length == 3) {
      shadowName = "";
    } else if (levels.length == 5 && levels[2].equals("name")) {
      shadowName = levels[3];
    } else {
      return Optional.empty();
    }
    try {
      return Optional.of(new ShadowTopic(new ShadowId(levels[0], shadowName), operation.get()));
    } catch (RuntimeException invalidName) {
      return Optional.empty();
    }
  }

  /** {@code PREFIX/OP/suffix}, e.g. {@code .../update/accepted}. */
  String answer(String suffix) {
    return id.topicPrefix() + "/" + operation.level + "/" + suffix;
  }
}
