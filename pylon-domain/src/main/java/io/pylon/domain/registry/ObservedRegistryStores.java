package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;

/**
 * Registry stores that tell a {@link RegistryListener} about each write that took effect, so that
 * every service writing through them is observed without knowing it.
 */
public final class ObservedRegistryStores {

  private ObservedRegistryStores() {}

  /**
   * {@code stores} with their thing, thing group and principal writes reported to {@code listener}.
   */
  public static RegistryStores of(RegistryStores stores, RegistryListener listener) {
    return new RegistryStores(
        new Things(stores.things(), listener),
        stores.thingTypes(),
        new Groups(stores.thingGroups(), listener),
        new Principals(stores.thingPrincipals(), listener));
  }

  private static final class Things implements ThingStore {
    private final ThingStore delegate;
    private final RegistryListener listener;

    Things(ThingStore delegate, RegistryListener listener) {
      this.delegate = delegate;
      this.listener = listener;
    }

    @Override
    public Optional<Thing> find(String name) {
      return delegate.find(name);
    }

    @Override
    public boolean insert(Thing thing) {
      return told(delegate.insert(thing), thing.name());
    }

    @Override
    public boolean replace(Thing thing, long storedVersion) {
      return told(delegate.replace(thing, storedVersion), thing.name());
    }

    @Override
    public boolean delete(String name, long storedVersion) {
      return told(delegate.delete(name, storedVersion), name);
    }

    @Override
    public Page<Thing> list(ThingFilter filter, PageRequest page) {
      return delegate.list(filter, page);
    }

    @Override
    public boolean anyOfType(String thingTypeName) {
      return delegate.anyOfType(thingTypeName);
    }

    private boolean told(boolean changed, String thingName) {
      if (changed) {
        listener.thingChanged(thingName);
      }
      return changed;
    }
  }

  private static final class Groups implements ThingGroupStore {
    private final ThingGroupStore delegate;
    private final RegistryListener listener;

    Groups(ThingGroupStore delegate, RegistryListener listener) {
      this.delegate = delegate;
      this.listener = listener;
    }

    @Override
    public Optional<ThingGroup> find(String name) {
      return delegate.find(name);
    }

    @Override
    public boolean insert(ThingGroup group) {
      return delegate.insert(group);
    }

    @Override
    public boolean replace(ThingGroup group, long storedVersion) {
      return delegate.replace(group, storedVersion);
    }

    @Override
    public boolean delete(String name, long storedVersion) {
      boolean deleted = delegate.delete(name, storedVersion);
      if (deleted) {
        listener.thingGroupChanged(name);
      }
      return deleted;
    }

    @Override
    public int childCount(String name) {
      return delegate.childCount(name);
    }

    @Override
    public Page<ThingGroup> list(ThingGroupFilter filter, PageRequest page) {
      return delegate.list(filter, page);
    }

    @Override
    public boolean addThing(String groupName, String thingName) {
      boolean added = delegate.addThing(groupName, thingName);
      if (added) {
        listener.thingChanged(thingName);
      }
      return added;
    }

    @Override
    public boolean removeThing(String groupName, String thingName) {
      boolean removed = delegate.removeThing(groupName, thingName);
      if (removed) {
        listener.thingChanged(thingName);
      }
      return removed;
    }

    @Override
    public List<String> groupsOf(String thingName) {
      return delegate.groupsOf(thingName);
    }

    @Override
    public Page<String> thingsIn(String groupName, boolean recursive, PageRequest page) {
      return delegate.thingsIn(groupName, recursive, page);
    }

    @Override
    public void removeThingEverywhere(String thingName) {
      delegate.removeThingEverywhere(thingName);
      listener.thingChanged(thingName);
    }
  }

  private static final class Principals implements ThingPrincipalStore {
    private final ThingPrincipalStore delegate;
    private final RegistryListener listener;

    Principals(ThingPrincipalStore delegate, RegistryListener listener) {
      this.delegate = delegate;
      this.listener = listener;
    }

    @Override
    public void attach(ThingPrincipal attachment) {
      delegate.attach(attachment);
      listener.thingChanged(attachment.thingName());
    }

    @Override
    public boolean detach(String thingName, String principal) {
      boolean detached = delegate.detach(thingName, principal);
      if (detached) {
        listener.thingChanged(thingName);
      }
      return detached;
    }

    @Override
    public Page<ThingPrincipal> ofThing(
        String thingName, Optional<ThingPrincipalType> type, PageRequest page) {
      return delegate.ofThing(thingName, type, page);
    }

    @Override
    public Page<ThingPrincipal> ofPrincipal(
        String principal, Optional<ThingPrincipalType> type, PageRequest page) {
      return delegate.ofPrincipal(principal, type, page);
    }

    @Override
    public List<ThingPrincipal> allOfPrincipal(String principal) {
      return delegate.allOfPrincipal(principal);
    }

    @Override
    public boolean thingHasPrincipals(String thingName) {
      return delegate.thingHasPrincipals(thingName);
    }
  }
}
