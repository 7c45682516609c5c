package io.pylon.http.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.registry.ThingPrincipal;
import io.pylon.domain.registry.ThingPrincipalService;
import io.pylon.domain.registry.ThingPrincipalType;
import io.pylon.http.rest.Paging;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.util.Objects;
import java.util.Optional;

/**
 * AttachThingPrincipal, DetachThingPrincipal, ListThingPrincipals(V2) and ListPrincipalThings(V2).
 * The principal travels in header {@code x-amzn-principal}, the type in query parameter {@code
 * thingPrincipalType}.
 */
public final class ThingPrincipalsApi implements RestApi {

  private static final String PRINCIPAL_HEADER = "x-amzn-principal";

  private final ThingPrincipalService principals;

  public ThingPrincipalsApi(ThingPrincipalService principals) {
    this.principals = Objects.requireNonNull(principals, "principals");
  }

  @Override
  public void register(Operations operations) {
    operations.on("iot", "AttachThingPrincipal", this::attachThingPrincipal);
    operations.on("iot", "DetachThingPrincipal", this::detachThingPrincipal);
    operations.on("iot", "ListThingPrincipals", this::listThingPrincipals);
    operations.on("iot", "ListThingPrincipalsV2", this::listThingPrincipalsV2);
    operations.on("iot", "ListPrincipalThings", this::listPrincipalThings);
    operations.on("iot", "ListPrincipalThingsV2", this::listPrincipalThingsV2);
  }

  RestResponse attachThingPrincipal(RestRequest request) {
    principals.attachThingPrincipal(request.label("thingName"), principal(request), type(request));
    return RestResponse.empty();
  }

  RestResponse detachThingPrincipal(RestRequest request) {
    principals.detachThingPrincipal(request.label("thingName"), principal(request));
    return RestResponse.empty();
  }

  RestResponse listThingPrincipals(RestRequest request) {
    Page<ThingPrincipal> page =
        principals.listThingPrincipals(
            request.label("thingName"), Optional.empty(), Paging.of(request));
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("principals");
    page.items().forEach(a -> list.add(a.principal()));
    Paging.putNextToken(output, page);
    return RestResponse.json(output);
  }

  RestResponse listThingPrincipalsV2(RestRequest request) {
    Page<ThingPrincipal> page =
        principals.listThingPrincipals(
            request.label("thingName"), type(request), Paging.of(request));
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("thingPrincipalObjects");
    page.items()
        .forEach(
            a ->
                list.addObject()
                    .put("principal", a.principal())
                    .put("thingPrincipalType", a.type().name()));
    Paging.putNextToken(output, page);
    return RestResponse.json(output);
  }

  RestResponse listPrincipalThings(RestRequest request) {
    Page<ThingPrincipal> page =
        principals.listPrincipalThings(principal(request), Optional.empty(), Paging.of(request));
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("things");
    page.items().forEach(a -> list.add(a.thingName()));
    Paging.putNextToken(output, page);
    return RestResponse.json(output);
  }

  RestResponse listPrincipalThingsV2(RestRequest request) {
    Page<ThingPrincipal> page =
        principals.listPrincipalThings(principal(request), type(request), Paging.of(request));
    ObjectNode output = RestJson.object();
    ArrayNode list = output.putArray("principalThingObjects");
    page.items()
        .forEach(
            a ->
                list.addObject()
                    .put("thingName", a.thingName())
                    .put("thingPrincipalType", a.type().name()));
    Paging.putNextToken(output, page);
    return RestResponse.json(output);
  }

  private static String principal(RestRequest request) {
    return request
        .header(PRINCIPAL_HEADER)
        .filter(p -> !p.isBlank())
        .orElseThrow(
            () -> new InvalidRequestException("principal (header x-amzn-principal) is required"));
  }

  private static Optional<ThingPrincipalType> type(RestRequest request) {
    return request
        .query("thingPrincipalType")
        .map(
            value -> {
              try {
                return ThingPrincipalType.valueOf(value);
              } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(
                    "thingPrincipalType must be EXCLUSIVE_THING or NON_EXCLUSIVE_THING, was '"
                        + value
                        + "'");
              }
            });
  }
}
