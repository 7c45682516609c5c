package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Attachments in a map: the reference implementation of {@link ThingPrincipalStore}. */
public final class MemoryThingPrincipalStore implements ThingPrincipalStore {

  private record Key(String thingName, String principal) {}

  private final Map<Key, ThingPrincipal> attachments =
      new TreeMap<>(Comparator.comparing(Key::thingName).thenComparing(Key::principal));

  @Override
  public synchronized void attach(ThingPrincipal attachment) {
    attachments.put(new Key(attachment.thingName(), attachment.principal()), attachment);
  }

  @Override
  public synchronized boolean detach(String thingName, String principal) {
    return attachments.remove(new Key(thingName, principal)) != null;
  }

  @Override
  public synchronized Page<ThingPrincipal> ofThing(
      String thingName, Optional<ThingPrincipalType> type, PageRequest page) {
    List<ThingPrincipal> matching =
        attachments.values().stream()
            .filter(a -> a.thingName().equals(thingName))
            .filter(a -> type.map(t -> t == a.type()).orElse(true))
            .sorted(Comparator.comparing(ThingPrincipal::principal))
            .toList();
    return RegistryPageToken.page("thing-principals", matching, ThingPrincipal::principal, page);
  }

  @Override
  public synchronized Page<ThingPrincipal> ofPrincipal(
      String principal, Optional<ThingPrincipalType> type, PageRequest page) {
    List<ThingPrincipal> matching =
        allOfPrincipal(principal).stream()
            .filter(a -> type.map(t -> t == a.type()).orElse(true))
            .toList();
    return RegistryPageToken.page("principal-things", matching, ThingPrincipal::thingName, page);
  }

  @Override
  public synchronized List<ThingPrincipal> allOfPrincipal(String principal) {
    return attachments.values().stream()
        .filter(a -> a.principal().equals(principal))
        .sorted(Comparator.comparing(ThingPrincipal::thingName))
        .toList();
  }

  @Override
  public synchronized boolean thingHasPrincipals(String thingName) {
    return attachments.keySet().stream().anyMatch(k -> k.thingName().equals(thingName));
  }
}
