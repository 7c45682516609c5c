package io.pylon.http.registry;

import static io.pylon.http.registry.RegistryApis.CERT;
import static io.pylon.http.registry.RegistryApis.call;
import static io.pylon.http.registry.RegistryApis.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.ResourceNotFoundException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ThingPrincipalsApiTest {

  private final RegistryApis apis = new RegistryApis();

  @BeforeEach
  void things() {
    apis.json(call("CreateThing").label("thingName", "t1"));
    apis.json(call("CreateThing").label("thingName", "t2"));
  }

  @Test
  void attach_thenListBothWays_inBothVersions() {
    apis.empty(
        call("AttachThingPrincipal")
            .label("thingName", "t1")
            .header("x-amzn-principal", CERT)
            .query("thingPrincipalType", "EXCLUSIVE_THING"));

    assertThat(apis.json(call("ListThingPrincipals").label("thingName", "t1")))
        .isEqualTo(parse("{\"principals\":[\"" + CERT + "\"]}"));
    assertThat(apis.json(call("ListThingPrincipalsV2").label("thingName", "t1")))
        .isEqualTo(
            parse(
                "{\"thingPrincipalObjects\":[{\"principal\":\""
                    + CERT
                    + "\",\"thingPrincipalType\":\"EXCLUSIVE_THING\"}]}"));
    assertThat(apis.json(call("ListPrincipalThings").header("x-amzn-principal", CERT)))
        .isEqualTo(parse("{\"things\":[\"t1\"]}"));
    assertThat(
            apis.json(
                call("ListPrincipalThingsV2")
                    .header("x-amzn-principal", CERT)
                    .query("thingPrincipalType", "NON_EXCLUSIVE_THING")))
        .isEqualTo(parse("{\"principalThingObjects\":[]}"));
  }

  @Test
  void detach_removesTheAttachment() {
    apis.empty(
        call("AttachThingPrincipal").label("thingName", "t1").header("x-amzn-principal", CERT));

    apis.empty(
        call("DetachThingPrincipal").label("thingName", "t1").header("x-amzn-principal", CERT));

    assertThat(apis.json(call("ListThingPrincipals").label("thingName", "t1")).get("principals"))
        .isEmpty();
  }

  @Test
  void missingHeaderBadTypeUnknownPrincipal_areRefused() {
    assertThatThrownBy(() -> apis.send(call("AttachThingPrincipal").label("thingName", "t1")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("x-amzn-principal");
    assertThatThrownBy(
            () ->
                apis.send(
                    call("AttachThingPrincipal")
                        .label("thingName", "t1")
                        .header("x-amzn-principal", CERT)
                        .query("thingPrincipalType", "SOMETIMES")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("thingPrincipalType");
    assertThatThrownBy(
            () ->
                apis.send(
                    call("AttachThingPrincipal")
                        .label("thingName", "t1")
                        .header("x-amzn-principal", "arn:aws:iot:us-east-1:123456789012:cert/00")))
        .isInstanceOf(ResourceNotFoundException.class);
    assertThatThrownBy(() -> apis.send(call("ListThingPrincipals").label("thingName", "nope")))
        .isInstanceOf(ResourceNotFoundException.class);
  }

  @Test
  void deleteThing_withAttachedPrincipal_isRefused() {
    apis.empty(
        call("AttachThingPrincipal").label("thingName", "t1").header("x-amzn-principal", CERT));

    assertThatThrownBy(() -> apis.send(call("DeleteThing").label("thingName", "t1")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("still attached");
  }
}
