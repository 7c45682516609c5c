package io.pylon.http.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.Page;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.CertificateStatus;
import io.pylon.http.rest.RestApi;
import io.pylon.http.rest.RestJson;
import io.pylon.http.rest.RestRequest;
import io.pylon.http.rest.RestResponse;
import java.util.Optional;

/**
 * The device-certificate operations of {@code iot}: CreateKeysAndCertificate,
 * CreateCertificateFromCsr, RegisterCertificate, RegisterCertificateWithoutCA, DescribeCertificate,
 * ListCertificates, ListCertificatesByCA, UpdateCertificate and DeleteCertificate.
 */
public final class CertificatesApi implements RestApi {

  private static final String IOT = "iot";

  private final CertificateService certificates;

  public CertificatesApi(CertificateService certificates) {
    this.certificates = certificates;
  }

  @Override
  public void register(Operations operations) {
    operations.on(IOT, "CreateKeysAndCertificate", this::createKeysAndCertificate);
    operations.on(IOT, "CreateCertificateFromCsr", this::createCertificateFromCsr);
    operations.on(IOT, "RegisterCertificate", this::registerCertificate);
    operations.on(IOT, "RegisterCertificateWithoutCA", this::registerCertificateWithoutCa);
    operations.on(IOT, "DescribeCertificate", this::describeCertificate);
    operations.on(IOT, "ListCertificates", this::listCertificates);
    operations.on(IOT, "ListCertificatesByCA", this::listCertificatesByCa);
    operations.on(IOT, "UpdateCertificate", this::updateCertificate);
    operations.on(IOT, "DeleteCertificate", this::deleteCertificate);
  }

  RestResponse createKeysAndCertificate(RestRequest request) {
    CertificateService.CreatedKeys created =
        certificates.createKeysAndCertificate(request.queryBoolean("setAsActive").orElse(false));
    ObjectNode body = created(created.certificate());
    body.put("certificatePem", created.certificate().pem());
    ObjectNode keyPair = body.putObject("keyPair");
    keyPair.put("PublicKey", created.publicKeyPem());
    keyPair.put("PrivateKey", created.privateKeyPem());
    return RestResponse.json(body);
  }

  RestResponse createCertificateFromCsr(RestRequest request) {
    String csr = IdentityJson.requiredText(request.json(), "certificateSigningRequest");
    Certificate certificate =
        certificates.createCertificateFromCsr(
            csr, request.queryBoolean("setAsActive").orElse(false));
    ObjectNode body = created(certificate);
    body.put("certificatePem", certificate.pem());
    return RestResponse.json(body);
  }

  RestResponse registerCertificate(RestRequest request) {
    JsonNode json = request.json();
    Certificate certificate =
        certificates.registerCertificate(
            IdentityJson.requiredText(json, "certificatePem"),
            IdentityJson.text(json, "caCertificatePem"),
            status(json),
            request.queryBoolean("setAsActive").orElse(false));
    return RestResponse.json(created(certificate));
  }

  RestResponse registerCertificateWithoutCa(RestRequest request) {
    JsonNode json = request.json();
    Certificate certificate =
        certificates.registerCertificateWithoutCa(
            IdentityJson.requiredText(json, "certificatePem"), status(json));
    return RestResponse.json(created(certificate));
  }

  RestResponse describeCertificate(RestRequest request) {
    Certificate c = certificates.describeCertificate(IdentityJson.label(request, "certificateId"));
    ObjectNode body = RestJson.object();
    ObjectNode d = body.putObject("certificateDescription");
    d.put("certificateArn", c.arn());
    d.put("certificateId", c.id());
    c.caCertificateId().ifPresent(ca -> d.put("caCertificateId", ca));
    d.put("status", c.status().name());
    d.put("certificatePem", c.pem());
    d.put("ownedBy", c.ownedBy());
    d.put("creationDate", RestJson.epochSeconds(c.creationDate()));
    d.put("lastModifiedDate", RestJson.epochSeconds(c.lastModifiedDate()));
    d.put("customerVersion", c.customerVersion());
    // AWS sends an empty transferData for certificates never transferred.
    d.putObject("transferData");
    d.put("generationId", c.generationId());
    d.set("validity", IdentityJson.validity(c.validity()));
    d.put("certificateMode", c.mode().name());
    return RestResponse.json(body);
  }

  RestResponse listCertificates(RestRequest request) {
    return list(
        certificates.listCertificates(IdentityJson.page(request), IdentityJson.ascending(request)));
  }

  RestResponse listCertificatesByCa(RestRequest request) {
    return list(
        certificates.listCertificatesByCa(
            IdentityJson.label(request, "caCertificateId"),
            IdentityJson.page(request),
            IdentityJson.ascending(request)));
  }

  RestResponse updateCertificate(RestRequest request) {
    String newStatus =
        request
            .query("newStatus")
            .orElseThrow(() -> new InvalidRequestException("newStatus is required"));
    certificates.updateCertificate(
        IdentityJson.label(request, "certificateId"),
        CertificateStatus.parse("newStatus", newStatus));
    return RestResponse.empty();
  }

  RestResponse deleteCertificate(RestRequest request) {
    certificates.deleteCertificate(
        IdentityJson.label(request, "certificateId"),
        request.queryBoolean("forceDelete").orElse(false));
    return RestResponse.empty();
  }

  private static Optional<CertificateStatus> status(JsonNode json) {
    return IdentityJson.text(json, "status").map(s -> CertificateStatus.parse("status", s));
  }

  private static ObjectNode created(Certificate certificate) {
    ObjectNode body = RestJson.object();
    body.put("certificateArn", certificate.arn());
    body.put("certificateId", certificate.id());
    return body;
  }

  private static RestResponse list(Page<Certificate> page) {
    ObjectNode body = RestJson.object();
    ArrayNode items = body.putArray("certificates");
    for (Certificate c : page.items()) {
      ObjectNode item = items.addObject();
      item.put("certificateArn", c.arn());
      item.put("certificateId", c.id());
      item.put("status", c.status().name());
      item.put("certificateMode", c.mode().name());
      item.put("creationDate", RestJson.epochSeconds(c.creationDate()));
    }
    page.nextToken().ifPresent(marker -> body.put("nextMarker", marker));
    return RestResponse.json(body);
  }
}
