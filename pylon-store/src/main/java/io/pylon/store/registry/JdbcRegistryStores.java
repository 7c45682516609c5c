package io.pylon.store.registry;

import io.pylon.domain.registry.RegistryStores;
import io.pylon.store.Database;

/** The registry's JDBC stores, all on one database. */
public final class JdbcRegistryStores {

  private JdbcRegistryStores() {}

  /** Stores over {@code database}, whose schema is already migrated by opening it. */
  public static RegistryStores create(Database database) {
    return new RegistryStores(
        new JdbcThingStore(database),
        new JdbcThingTypeStore(database),
        new JdbcThingGroupStore(database),
        new JdbcThingPrincipalStore(database));
  }
}
