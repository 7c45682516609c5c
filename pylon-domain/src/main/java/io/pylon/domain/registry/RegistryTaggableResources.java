package io.pylon.domain.registry;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.tagging.TaggableResources;
import java.util.Objects;

/**
 * The registry's taggable resources: thing groups and thing types, by ARN. Things themselves cannot
 * be tagged in AWS IoT (CreateThing takes no tags), so their ARNs are not known here.
 */
public final class RegistryTaggableResources implements TaggableResources {

  private final AwsAccount account;
  private final RegistryStores stores;

  public RegistryTaggableResources(AwsAccount account, RegistryStores stores) {
    this.account = Objects.requireNonNull(account, "account");
    this.stores = Objects.requireNonNull(stores, "stores");
  }

  @Override
  public boolean exists(String resourceArn) {
    return account
            .resourceOf(resourceArn, "thinggroup")
            .flatMap(stores.thingGroups()::find)
            .isPresent()
        || account
            .resourceOf(resourceArn, "thingtype")
            .flatMap(stores.thingTypes()::find)
            .isPresent();
  }
}
