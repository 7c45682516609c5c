package io.pylon.domain.registry;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import io.pylon.domain.error.ResourceNotFoundException;
import io.pylon.domain.tagging.Tag;
import io.pylon.domain.tagging.TaggingService;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Thing types: CreateThingType, DescribeThingType, ListThingTypes, UpdateThingType,
 * DeprecateThingType and DeleteThingType.
 *
 * <p>A deprecated type keeps its things but takes no new ones; it can be deleted once no thing has
 * it. AWS also makes a caller wait five minutes between deprecating and deleting, a propagation
 * delay of its own that Pylon does not copy: a type can be deleted as soon as it is deprecated and
 * unused.
 */
public final class ThingTypeService {

  private final AwsAccount account;
  private final ThingTypeStore types;
  private final ThingStore things;
  private final TaggingService tagging;
  private final Clock clock;

  public ThingTypeService(
      AwsAccount account, RegistryStores stores, TaggingService tagging, Clock clock) {
    this.account = Objects.requireNonNull(account, "account");
    this.types = stores.thingTypes();
    this.things = stores.things();
    this.tagging = Objects.requireNonNull(tagging, "tagging");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public String arnOf(String thingTypeName) {
    return account.arn("thingtype", thingTypeName);
  }

  /**
   * Creates a thing type, or returns the existing one if it has exactly these properties.
   *
   * @throws ResourceAlreadyExistsException if a type of that name has other properties
   */
  public ThingType createThingType(String name, ThingTypeProperties properties, List<Tag> tags) {
    RegistryConstraints.name("thingTypeName", name);
    RegistryConstraints.thingTypeProperties(properties);
    tagging.validate(tags);
    ThingType created =
        new ThingType(
            name, UUID.randomUUID().toString(), properties, false, Optional.empty(), now());
    while (true) {
      Optional<ThingType> existing = types.find(name);
      if (existing.isPresent()) {
        if (existing.get().properties().equals(properties)) {
          return existing.get();
        }
        throw new ResourceAlreadyExistsException(
            "Thing type " + name + " already exists with different properties", name, arnOf(name));
      }
      if (types.insert(created)) {
        tagging.tagNew(arnOf(name), tags);
        return created;
      }
    }
  }

  public ThingType describeThingType(String name) {
    RegistryConstraints.name("thingTypeName", name);
    return types.find(name).orElseThrow(() -> notFound(name));
  }

  public Optional<ThingType> findThingType(String name) {
    return types.find(name);
  }

  /** Thing types by name, only those whose name starts with {@code name} when given. */
  public Page<ThingType> listThingTypes(Optional<String> name, PageRequest page) {
    name.ifPresent(n -> RegistryConstraints.name("thingTypeName", n));
    return types.list(name, page);
  }

  /** Changes the properties; {@code change} gets the current ones. */
  public ThingType updateThingType(String name, UnaryOperator<ThingTypeProperties> change) {
    ThingType current = describeThingType(name);
    ThingTypeProperties properties = change.apply(current.properties());
    RegistryConstraints.thingTypeProperties(properties);
    ThingType updated =
        new ThingType(
            name,
            current.id(),
            properties,
            current.deprecated(),
            current.deprecationDate(),
            current.creationDate());
    if (!types.replace(updated)) {
      throw notFound(name);
    }
    return updated;
  }

  /**
   * Deprecates a thing type, or with {@code undo} makes it usable again. Deprecating twice keeps
   * the first deprecation date.
   */
  public ThingType deprecateThingType(String name, boolean undo) {
    ThingType current = describeThingType(name);
    ThingType updated;
    if (undo) {
      updated =
          new ThingType(
              name,
              current.id(),
              current.properties(),
              false,
              Optional.empty(),
              current.creationDate());
    } else if (current.deprecated()) {
      return current;
    } else {
      updated =
          new ThingType(
              name,
              current.id(),
              current.properties(),
              true,
              Optional.of(now()),
              current.creationDate());
    }
    if (!types.replace(updated)) {
      throw notFound(name);
    }
    return updated;
  }

  /**
   * Deletes a deprecated thing type that no thing has.
   *
   * @throws InvalidRequestException if it is not deprecated or still has things
   */
  public void deleteThingType(String name) {
    ThingType current = describeThingType(name);
    if (!current.deprecated()) {
      throw new InvalidRequestException(
          "Thing type " + name + " must be deprecated before it can be deleted");
    }
    if (things.anyOfType(name)) {
      throw new InvalidRequestException(
          "Thing type "
              + name
              + " cannot be deleted while things have it; change or remove their thing type first");
    }
    types.delete(name);
    tagging.forget(arnOf(name));
  }

  /**
   * The type a thing is being given: it must exist and not be deprecated.
   *
   * @throws ResourceNotFoundException if there is no such type
   * @throws InvalidRequestException if it is deprecated
   */
  ThingType requireAssignable(String name) {
    RegistryConstraints.name("thingTypeName", name);
    ThingType type = types.find(name).orElseThrow(() -> notFound(name));
    if (type.deprecated()) {
      throw new InvalidRequestException(
          "Thing type " + name + " is deprecated; things cannot be given a deprecated type");
    }
    return type;
  }

  private static ResourceNotFoundException notFound(String name) {
    return new ResourceNotFoundException("Thing type " + name + " cannot be found.");
  }

  /**
   * Stores keep milliseconds, as AWS reports dates; truncating here keeps reads equal to writes.
   */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
