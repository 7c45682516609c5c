package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceNotFoundException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Principals attached to things: AttachThingPrincipal, DetachThingPrincipal,
 * ListThingPrincipals(V2) and ListPrincipalThings(V2), plus the lookups that authorization needs
 * ({@link #thingNamesOf}, {@link #isAttached}).
 *
 * <p>An exclusive attachment ({@code EXCLUSIVE_THING}) makes the thing the principal's only one: it
 * is refused while the principal is attached to another thing, and while it holds, attaching the
 * principal to another thing is refused.
 */
public final class ThingPrincipalService {

  private final ThingStore things;
  private final ThingPrincipalStore attachments;
  private final PrincipalDirectory principals;

  public ThingPrincipalService(RegistryStores stores, PrincipalDirectory principals) {
    this.things = stores.things();
    this.attachments = stores.thingPrincipals();
    this.principals = Objects.requireNonNull(principals, "principals");
  }

  /**
   * Attaches a principal to a thing; attaching it again changes only the type.
   *
   * @param type {@code NON_EXCLUSIVE_THING} when empty
   * @throws ResourceNotFoundException if the thing or the principal does not exist
   * @throws InvalidRequestException if exclusivity forbids it
   */
  public void attachThingPrincipal(
      String thingName, String principal, Optional<ThingPrincipalType> type) {
    requireThing(thingName);
    requirePrincipal(principal);
    ThingPrincipalType wanted = type.orElse(ThingPrincipalType.NON_EXCLUSIVE_THING);
    for (ThingPrincipal other : attachments.allOfPrincipal(principal)) {
      if (other.thingName().equals(thingName)) {
        continue;
      }
      if (other.type() == ThingPrincipalType.EXCLUSIVE_THING) {
        throw new InvalidRequestException(
            "principal "
                + principal
                + " is attached exclusively to thing "
                + other.thingName()
                + "; it cannot be attached to another thing");
      }
      if (wanted == ThingPrincipalType.EXCLUSIVE_THING) {
        throw new InvalidRequestException(
            "principal "
                + principal
                + " is already attached to thing "
                + other.thingName()
                + ", so it cannot be attached exclusively");
      }
    }
    attachments.attach(new ThingPrincipal(thingName, principal, wanted));
  }

  /**
   * Detaches a principal from a thing; nothing happens if it was not attached.
   *
   * @throws ResourceNotFoundException if the thing does not exist
   */
  public void detachThingPrincipal(String thingName, String principal) {
    requireThing(thingName);
    requirePrincipalGiven(principal);
    attachments.detach(thingName, principal);
  }

  /** The principals of a thing, of one type when given. */
  public Page<ThingPrincipal> listThingPrincipals(
      String thingName, Optional<ThingPrincipalType> type, PageRequest page) {
    requireThing(thingName);
    return attachments.ofThing(thingName, type, page);
  }

  /**
   * The things a principal is attached to, of one type when given.
   *
   * @throws ResourceNotFoundException if the principal does not exist
   */
  public Page<ThingPrincipal> listPrincipalThings(
      String principal, Optional<ThingPrincipalType> type, PageRequest page) {
    requirePrincipal(principal);
    return attachments.ofPrincipal(principal, type, page);
  }

  /** Names of the things a principal is attached to, by name; empty for an unknown principal. */
  public List<String> thingNamesOf(String principal) {
    return attachments.allOfPrincipal(principal).stream().map(ThingPrincipal::thingName).toList();
  }

  /** Whether {@code principal} is attached to {@code thingName}. */
  public boolean isAttached(String thingName, String principal) {
    return attachments.allOfPrincipal(principal).stream()
        .anyMatch(a -> a.thingName().equals(thingName));
  }

  private void requireThing(String thingName) {
    RegistryConstraints.name("thingName", thingName);
    if (things.find(thingName).isEmpty()) {
      throw ThingService.notFound(thingName);
    }
  }

  private void requirePrincipal(String principal) {
    requirePrincipalGiven(principal);
    if (!principals.exists(principal)) {
      throw new ResourceNotFoundException("Principal " + principal + " cannot be found.");
    }
  }

  private static void requirePrincipalGiven(String principal) {
    if (principal == null || principal.isBlank()) {
      throw new InvalidRequestException("principal must not be empty");
    }
  }
}
