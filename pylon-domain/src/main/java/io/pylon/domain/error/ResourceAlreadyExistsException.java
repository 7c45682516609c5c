package io.pylon.domain.error;

import java.util.Optional;

/**
 * A resource with this name exists with a different configuration. (Creating the same thing, thing
 * type or thing group again with the same configuration is not an error in AWS IoT.)
 */
public final class ResourceAlreadyExistsException extends DomainException {

  private final String resourceId;
  private final String resourceArn;

  public ResourceAlreadyExistsException(String message, String resourceId, String resourceArn) {
    super(message);
    this.resourceId = resourceId;
    this.resourceArn = resourceArn;
  }

  public Optional<String> resourceId() {
    return Optional.ofNullable(resourceId);
  }

  public Optional<String> resourceArn() {
    return Optional.ofNullable(resourceArn);
  }
}
