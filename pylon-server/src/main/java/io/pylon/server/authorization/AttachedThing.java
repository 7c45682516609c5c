package io.pylon.server.authorization;

import java.util.Map;
import java.util.Optional;

/**
 * The registry thing a connection acts as: AWS IoT resolves {@code iot:Connection.Thing.*} only
 * when the client id is the name of a thing attached to the connection's certificate.
 *
 * @param name the thing name (equal to the client id)
 * @param typeName the thing type, or empty
 * @param attributes the thing's attributes
 */
public record AttachedThing(
    String name, Optional<String> typeName, Map<String, String> attributes) {

  public AttachedThing {
    attributes = Map.copyOf(attributes);
  }

  /** Looks up the thing named {@code clientId} if it is attached to {@code certificateArn}. */
  @FunctionalInterface
  public interface Lookup {
    Optional<AttachedThing> find(String certificateArn, String clientId);

    Lookup NONE = (certificateArn, clientId) -> Optional.empty();
  }
}
