package io.pylon.domain.registry;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.tagging.MemoryTagStore;
import io.pylon.domain.tagging.TaggableResources;
import io.pylon.domain.tagging.TaggingService;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The registry's services on in-memory stores, a settable clock and a principal directory. */
final class Registry {

  static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  static final Instant START = Instant.parse("2026-01-02T03:04:05.678Z");
  static final String CERT = "arn:aws:iot:us-east-1:123456789012:cert/" + "a".repeat(64);
  static final String OTHER_CERT = "arn:aws:iot:us-east-1:123456789012:cert/" + "b".repeat(64);

  final RegistryStores stores = RegistryStores.inMemory();
  final MemoryTagStore tagStore = new MemoryTagStore();
  final Set<String> knownPrincipals = ConcurrentHashMap.newKeySet();
  Clock clock = Clock.fixed(START, ZoneOffset.UTC);
  final TaggingService tagging =
      new TaggingService(
          tagStore,
          TaggableResources.anyOf(List.of(new RegistryTaggableResources(ACCOUNT, stores))));
  final ThingTypeService thingTypes =
      new ThingTypeService(ACCOUNT, stores, tagging, new DelegatingClock(() -> clock));
  final ThingService things = new ThingService(ACCOUNT, stores, thingTypes);
  final ThingGroupService groups =
      new ThingGroupService(ACCOUNT, stores, tagging, new DelegatingClock(() -> clock));
  final ThingPrincipalService principals =
      new ThingPrincipalService(stores, knownPrincipals::contains);

  Registry() {
    knownPrincipals.add(CERT);
    knownPrincipals.add(OTHER_CERT);
  }

  void advanceClock(long seconds) {
    clock = Clock.fixed(clock.instant().plusSeconds(seconds), ZoneOffset.UTC);
  }

  /** A clock whose time a test moves. */
  private static final class DelegatingClock extends Clock {

    private final java.util.function.Supplier<Clock> current;

    DelegatingClock(java.util.function.Supplier<Clock> current) {
      this.current = current;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return current.get().instant();
    }
  }
}
