package io.pylon.domain.registry;

/**
 * Told after a registry change that decisions about devices may depend on: a thing's attributes,
 * type, principals or group memberships, or a thing group's existence. The server refreshes the
 * policies of connected devices on these. Called on the writer's thread after the write; must be
 * quick and must not throw.
 */
public interface RegistryListener {

  void thingChanged(String thingName);

  void thingGroupChanged(String groupName);
}
