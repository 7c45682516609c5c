package io.pylon.domain.registry;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.error.VersionConflictException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.UUID;

/**
 * Things: CreateThing, DescribeThing, UpdateThing, DeleteThing and ListThings, plus the lookups
 * other features need ({@link #findThing}, {@link #arnOf}).
 *
 * <p>Updates are optimistic: each reads the thing, computes the new one and stores it only if the
 * stored version is still the one read, retrying when a concurrent update got there first. With an
 * {@code expectedVersion} a concurrent update is a {@link VersionConflictException} instead.
 */
public final class ThingService {

  private static final int ATTEMPTS = 10;

  private final AwsAccount account;
  private final ThingStore things;
  private final ThingGroupStore groups;
  private final ThingPrincipalStore principals;
  private final ThingTypeService thingTypes;

  public ThingService(AwsAccount account, RegistryStores stores, ThingTypeService thingTypes) {
    this.account = Objects.requireNonNull(account, "account");
    this.things = stores.things();
    this.groups = stores.thingGroups();
    this.principals = stores.thingPrincipals();
    this.thingTypes = Objects.requireNonNull(thingTypes, "thingTypes");
  }

  public String arnOf(String thingName) {
    return account.arn("thing", thingName);
  }

  /**
   * Creates a thing at version 1, or returns the existing one if it has exactly this type and these
   * attributes.
   *
   * @param billingGroupName Pylon has no billing groups yet, so any name is not found
   * @throws ResourceAlreadyExistsException if a thing of that name differs
   * @throws ResourceNotFoundException if the thing type or billing group does not exist
   * @throws InvalidRequestException if the thing type is deprecated, or a value is invalid
   */
  public Thing createThing(
      String name,
      Optional<String> thingTypeName,
      Map<String, String> attributes,
      Optional<String> billingGroupName) {
    RegistryConstraints.name("thingName", name);
    thingTypeName.ifPresent(t -> RegistryConstraints.name("thingTypeName", t));
    RegistryConstraints.attributes(attributes);
    RegistryConstraints.attributeCount(attributes, thingTypeName.isPresent());
    billingGroupName.ifPresent(
        b -> {
          RegistryConstraints.name("billingGroupName", b);
          throw new ResourceNotFoundException("Billing group " + b + " cannot be found.");
        });
    Thing created = new Thing(name, UUID.randomUUID().toString(), thingTypeName, attributes, 1);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Thing> existing = things.find(name);
      if (existing.isPresent()) {
        Thing thing = existing.get();
        if (thing.thingTypeName().equals(thingTypeName)
            && thing.attributes().equals(created.attributes())) {
          return thing;
        }
        throw new ResourceAlreadyExistsException(
            "Thing " + name + " already exists with a different configuration", name, arnOf(name));
      }
      thingTypeName.ifPresent(thingTypes::requireAssignable);
      if (things.insert(created)) {
        return created;
      }
    }
    throw new IllegalStateException("thing " + name + " changes too fast to be created");
  }

  /**
   * @throws ResourceNotFoundException if there is no such thing
   */
  public Thing describeThing(String name) {
    RegistryConstraints.name("thingName", name);
    return things.find(name).orElseThrow(() -> notFound(name));
  }

  public Optional<Thing> findThing(String name) {
    return things.find(name);
  }

  /**
   * Changes a thing's type and attributes; the version goes up by one.
   *
   * @throws VersionConflictException if {@code expectedVersion} is not the current version
   * @throws InvalidRequestException for a deprecated type, or too many attributes for the type
   */
  public Thing updateThing(String name, ThingUpdate update) {
    RegistryConstraints.name("thingName", name);
    update.thingTypeName().ifPresent(t -> RegistryConstraints.name("thingTypeName", t));
    if (update.removeThingType() && update.thingTypeName().isPresent()) {
      throw new InvalidRequestException(
          "thingTypeName and removeThingType cannot be given together");
    }
    update.attributePayload().ifPresent(p -> RegistryConstraints.attributes(p.attributes()));
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Thing current = things.find(name).orElseThrow(() -> notFound(name));
      requireVersion(current, update.expectedVersion());
      Optional<String> type = current.thingTypeName();
      if (update.removeThingType()) {
        type = Optional.empty();
      } else if (update.thingTypeName().isPresent() && !update.thingTypeName().equals(type)) {
        type = Optional.of(thingTypes.requireAssignable(update.thingTypeName().get()).name());
      }
      SortedMap<String, String> attributes =
          update.attributePayload().isPresent()
              ? update.attributePayload().get().applyTo(current.attributes())
              : current.attributes();
      RegistryConstraints.attributeCount(attributes, type.isPresent());
      Thing updated = new Thing(name, current.id(), type, attributes, current.version() + 1);
      if (things.replace(updated, current.version())) {
        return updated;
      }
    }
    throw new VersionConflictException(
        "thing " + name + " was changed concurrently too often; try again");
  }

  /**
   * Deletes a thing and its group memberships. Deleting a thing that does not exist succeeds, as in
   * AWS.
   *
   * @throws VersionConflictException if {@code expectedVersion} is not the current version
   * @throws InvalidRequestException if principals are still attached to it
   */
  public void deleteThing(String name, OptionalLong expectedVersion) {
    RegistryConstraints.name("thingName", name);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<Thing> current = things.find(name);
      if (current.isEmpty()) {
        return;
      }
      requireVersion(current.get(), expectedVersion);
      if (principals.thingHasPrincipals(name)) {
        throw new InvalidRequestException(
            "Cannot delete. Thing " + name + " is still attached to one or more principals");
      }
      if (things.delete(name, current.get().version())) {
        groups.removeThingEverywhere(name);
        return;
      }
    }
    throw new VersionConflictException(
        "thing " + name + " was changed concurrently too often; try again");
  }

  /**
   * Things by name, filtered by attribute and thing type.
   *
   * @throws InvalidRequestException for an attribute value without an attribute name
   */
  public Page<Thing> listThings(ThingFilter filter, PageRequest page) {
    filter.attributeName().ifPresent(a -> RegistryConstraints.attributeName("attributeName", a));
    filter.attributeValue().ifPresent(v -> RegistryConstraints.attributeValue("attributeValue", v));
    filter.thingTypeName().ifPresent(t -> RegistryConstraints.name("thingTypeName", t));
    if (filter.attributeValue().isPresent() && filter.attributeName().isEmpty()) {
      throw new InvalidRequestException("attributeValue needs an attributeName");
    }
    return things.list(filter, page);
  }

  private static void requireVersion(Thing thing, OptionalLong expectedVersion) {
    if (expectedVersion.isPresent() && expectedVersion.getAsLong() != thing.version()) {
      throw new VersionConflictException(
          "The version of thing "
              + thing.name()
              + " is "
              + thing.version()
              + ", not the expected "
              + expectedVersion.getAsLong());
    }
  }

  static ResourceNotFoundException notFound(String name) {
    return new ResourceNotFoundException("Thing " + name + " cannot be found.");
  }
}
