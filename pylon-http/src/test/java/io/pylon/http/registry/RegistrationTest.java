package io.pylon.http.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RegistrationTest {

  @Test
  void everyRegistryAndTagOperation_isRegisteredOnceForIot() {
    assertThat(new RegistryApis().operations.keySet())
        .containsExactlyInAnyOrder(
            "iot CreateThing",
            "iot DescribeThing",
            "iot UpdateThing",
            "iot DeleteThing",
            "iot ListThings",
            "iot CreateThingType",
            "iot DescribeThingType",
            "iot ListThingTypes",
            "iot UpdateThingType",
            "iot DeprecateThingType",
            "iot DeleteThingType",
            "iot CreateThingGroup",
            "iot DescribeThingGroup",
            "iot UpdateThingGroup",
            "iot DeleteThingGroup",
            "iot ListThingGroups",
            "iot AddThingToThingGroup",
            "iot RemoveThingFromThingGroup",
            "iot UpdateThingGroupsForThing",
            "iot ListThingGroupsForThing",
            "iot ListThingsInThingGroup",
            "iot AttachThingPrincipal",
            "iot DetachThingPrincipal",
            "iot ListThingPrincipals",
            "iot ListThingPrincipalsV2",
            "iot ListPrincipalThings",
            "iot ListPrincipalThingsV2",
            "iot TagResource",
            "iot UntagResource",
            "iot ListTagsForResource");
  }
}
