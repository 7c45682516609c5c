package io.pylon.http.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.identity.AutoRegistrationStatus;
import io.pylon.domain.identity.CaCertificate;
import io.pylon.domain.identity.CaCertificateService;
import io.pylon.domain.identity.CaCertificateStatus;
import io.pylon.domain.identity.CertificateMode;
import io.pylon.domain.identity.RegistrationConfig;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.util.Optional;

/**
 * The CA-certificate operations of {@code iot}: GetRegistrationCode, DeleteRegistrationCode,
 * RegisterCACertificate, DescribeCACertificate, ListCACertificates, UpdateCACertificate and
 * DeleteCACertificate. RegisterCACertificate's {@code tags} are accepted and not kept yet.
 */
public final class CaCertificatesApi implements RestApi {

  private static final String IOT = "iot";

  private final CaCertificateService caCertificates;

  public CaCertificatesApi(CaCertificateService caCertificates) {
    this.caCertificates = caCertificates;
  }

  @Override
  public void register(Operations operations) {
    operations.on(IOT, "GetRegistrationCode", this::getRegistrationCode);
    operations.on(IOT, "DeleteRegistrationCode", this::deleteRegistrationCode);
    operations.on(IOT, "RegisterCACertificate", this::registerCaCertificate);
    operations.on(IOT, "DescribeCACertificate", this::describeCaCertificate);
    operations.on(IOT, "ListCACertificates", this::listCaCertificates);
    operations.on(IOT, "UpdateCACertificate", this::updateCaCertificate);
    operations.on(IOT, "DeleteCACertificate", this::deleteCaCertificate);
  }

  RestResponse getRegistrationCode(RestRequest request) {
    ObjectNode body = RestJson.object();
    body.put("registrationCode", caCertificates.getRegistrationCode());
    return RestResponse.json(body);
  }

  RestResponse deleteRegistrationCode(RestRequest request) {
    caCertificates.deleteRegistrationCode();
    return RestResponse.empty();
  }

  RestResponse registerCaCertificate(RestRequest request) {
    JsonNode json = request.json();
    CaCertificate ca =
        caCertificates.registerCaCertificate(
            new CaCertificateService.Registration(
                IdentityJson.requiredText(json, "caCertificate"),
                IdentityJson.text(json, "verificationCertificate").filter(s -> !s.isEmpty()),
                request.queryBoolean("setAsActive").orElse(false),
                request.queryBoolean("allowAutoRegistration").orElse(false),
                registrationConfig(json).orElse(RegistrationConfig.NONE),
                IdentityJson.text(json, "certificateMode")
                    .map(m -> CertificateMode.parse("certificateMode", m))));
    ObjectNode body = RestJson.object();
    body.put("certificateArn", ca.arn());
    body.put("certificateId", ca.id());
    return RestResponse.json(body);
  }

  RestResponse describeCaCertificate(RestRequest request) {
    CaCertificate ca = caCertificates.describeCaCertificate(caId(request));
    ObjectNode body = RestJson.object();
    ObjectNode d = body.putObject("certificateDescription");
    d.put("certificateArn", ca.arn());
    d.put("certificateId", ca.id());
    d.put("status", ca.status().name());
    d.put("certificatePem", ca.pem());
    d.put("ownedBy", ca.ownedBy());
    d.put("creationDate", RestJson.epochSeconds(ca.creationDate()));
    d.put("autoRegistrationStatus", ca.autoRegistrationStatus().name());
    d.put("lastModifiedDate", RestJson.epochSeconds(ca.lastModifiedDate()));
    d.put("customerVersion", ca.customerVersion());
    d.put("generationId", ca.generationId());
    d.set("validity", IdentityJson.validity(ca.validity()));
    d.put("certificateMode", ca.mode().name());
    RegistrationConfig config = ca.registrationConfig();
    if (!config.isEmpty()) {
      ObjectNode c = body.putObject("registrationConfig");
      config.templateBody().ifPresent(v -> c.put("templateBody", v));
      config.roleArn().ifPresent(v -> c.put("roleArn", v));
      config.templateName().ifPresent(v -> c.put("templateName", v));
    }
    return RestResponse.json(body);
  }

  /**
   * ListCACertificates. A {@code templateName} filters the page's items (pages may then hold fewer
   * than pageSize items, never wrong ones).
   */
  RestResponse listCaCertificates(RestRequest request) {
    Optional<String> templateName = request.query("templateName");
    Page<CaCertificate> page =
        caCertificates.listCaCertificates(
            IdentityJson.page(request), IdentityJson.ascending(request));
    ObjectNode body = RestJson.object();
    ArrayNode items = body.putArray("certificates");
    for (CaCertificate ca : page.items()) {
      if (templateName.isPresent()
          && !ca.registrationConfig().templateName().equals(templateName)) {
        continue;
      }
      ObjectNode item = items.addObject();
      item.put("certificateArn", ca.arn());
      item.put("certificateId", ca.id());
      item.put("status", ca.status().name());
      item.put("creationDate", RestJson.epochSeconds(ca.creationDate()));
    }
    page.nextToken().ifPresent(marker -> body.put("nextMarker", marker));
    return RestResponse.json(body);
  }

  RestResponse updateCaCertificate(RestRequest request) {
    JsonNode json = request.json();
    caCertificates.updateCaCertificate(
        caId(request),
        request.query("newStatus").map(s -> CaCertificateStatus.parse("newStatus", s)),
        request
            .query("newAutoRegistrationStatus")
            .map(s -> AutoRegistrationStatus.parse("newAutoRegistrationStatus", s)),
        registrationConfig(json),
        IdentityJson.bool(json, "removeAutoRegistration").orElse(false));
    return RestResponse.empty();
  }

  RestResponse deleteCaCertificate(RestRequest request) {
    caCertificates.deleteCaCertificate(caId(request));
    return RestResponse.empty();
  }

  private static String caId(RestRequest request) {
    return IdentityJson.label(request, "caCertificateId", "certificateId");
  }

  private static Optional<RegistrationConfig> registrationConfig(JsonNode json) {
    JsonNode node = json.get("registrationConfig");
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isObject()) {
      throw new InvalidRequestException("registrationConfig must be an object");
    }
    return Optional.of(
        new RegistrationConfig(
            IdentityJson.text(node, "templateBody"),
            IdentityJson.text(node, "roleArn"),
            IdentityJson.text(node, "templateName")));
  }
}
