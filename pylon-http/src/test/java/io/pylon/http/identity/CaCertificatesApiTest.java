package io.pylon.http.identity;

import static io.pylon.http.identity.CertificatesApiTest.names;
import static io.pylon.http.identity.Requests.json;
import static io.pylon.http.identity.Requests.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.error.CertificateStateException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.error.RegistrationCodeValidationException;
import io.pylon.domain.identity.CaCertificateService;
import io.pylon.domain.identity.IdentityListeners;
import io.pylon.domain.identity.MemoryCaCertificateStore;
import io.pylon.domain.identity.MemoryCertificateStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CaCertificatesApiTest {

  private final CaCertificateService service =
      new CaCertificateService(
          new AwsAccount("123456789012", "us-east-1"),
          new MemoryCaCertificateStore(),
          new MemoryCertificateStore(),
          new IdentityListeners(),
          Clock.systemUTC());
  private final CaCertificatesApi api = new CaCertificatesApi(service);

  @Test
  void register_servesEveryCaOperationOfIot() {
    List<String> operations = new ArrayList<>();
    api.register((service, operation, handler) -> operations.add(service + ":" + operation));
    assertThat(operations)
        .containsExactlyInAnyOrder(
            "iot:GetRegistrationCode",
            "iot:DeleteRegistrationCode",
            "iot:RegisterCACertificate",
            "iot:DescribeCACertificate",
            "iot:ListCACertificates",
            "iot:UpdateCACertificate",
            "iot:DeleteCACertificate");
  }

  @Test
  void registrationCode_getAndDelete() {
    JsonNode code = json(api.getRegistrationCode(op("GetRegistrationCode").build()));
    assertThat(names(code)).containsExactly("registrationCode");
    assertThat(code.get("registrationCode").asText()).matches("[0-9a-f]{64}");

    assertThat(api.deleteRegistrationCode(op("DeleteRegistrationCode").build()).status())
        .isEqualTo(200);
    assertThat(
            json(api.getRegistrationCode(op("GetRegistrationCode").build()))
                .get("registrationCode")
                .asText())
        .isNotEqualTo(code.get("registrationCode").asText());
  }

  @Test
  void registerDescribeListUpdateDelete_roundTrip() {
    TestCa ca = new TestCa("Api CA");
    String code = service.getRegistrationCode();
    JsonNode registered =
        json(
            api.registerCaCertificate(
                op("RegisterCACertificate")
                    .query("setAsActive", "true")
                    .query("allowAutoRegistration", "true")
                    .body(
                        Map.of(
                            "caCertificate", TestCa.pem(ca.certificate),
                            "verificationCertificate", TestCa.pem(ca.issue(code)),
                            "registrationConfig", Map.of("templateName", "jitp")))
                    .build()));
    assertThat(names(registered)).containsExactly("certificateArn", "certificateId");
    String id = registered.get("certificateId").asText();

    JsonNode described =
        json(
            api.describeCaCertificate(
                op("DescribeCACertificate").label("caCertificateId", id).build()));
    assertThat(names(described.get("certificateDescription")))
        .containsExactly(
            "certificateArn",
            "certificateId",
            "status",
            "certificatePem",
            "ownedBy",
            "creationDate",
            "autoRegistrationStatus",
            "lastModifiedDate",
            "customerVersion",
            "generationId",
            "validity",
            "certificateMode");
    assertThat(described.get("certificateDescription").get("autoRegistrationStatus").asText())
        .isEqualTo("ENABLE");
    assertThat(described.get("registrationConfig").get("templateName").asText()).isEqualTo("jitp");

    JsonNode listed =
        json(
            api.listCaCertificates(op("ListCACertificates").query("templateName", "jitp").build()));
    assertThat(listed.get("certificates")).hasSize(1);
    assertThat(names(listed.get("certificates").get(0)))
        .containsExactly("certificateArn", "certificateId", "status", "creationDate");

    assertThatThrownBy(
            () ->
                api.deleteCaCertificate(
                    op("DeleteCACertificate").label("caCertificateId", id).build()))
        .isInstanceOf(CertificateStateException.class);
    api.updateCaCertificate(
        op("UpdateCACertificate")
            .label("caCertificateId", id)
            .query("newStatus", "INACTIVE")
            .body(Map.of("removeAutoRegistration", true))
            .build());
    assertThat(service.describeCaCertificate(id).registrationConfig().isEmpty()).isTrue();
    api.deleteCaCertificate(op("DeleteCACertificate").label("certificateId", id).build());
    assertThat(service.find(id)).isEmpty();
  }

  @Test
  void registerCaCertificate_badInputs_failWithAwsErrors() {
    TestCa ca = new TestCa("Bad CA");
    assertThatThrownBy(() -> api.registerCaCertificate(op("RegisterCACertificate").build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                api.registerCaCertificate(
                    op("RegisterCACertificate")
                        .body(
                            Map.of(
                                "caCertificate", TestCa.pem(ca.certificate),
                                "verificationCertificate", TestCa.pem(ca.issue("wrong"))))
                        .build()))
        .isInstanceOf(RegistrationCodeValidationException.class);
    assertThatThrownBy(
            () ->
                api.registerCaCertificate(
                    op("RegisterCACertificate")
                        .body(
                            Map.of(
                                "caCertificate",
                                TestCa.pem(ca.certificate),
                                "certificateMode",
                                "LOUD"))
                        .build()))
        .isInstanceOf(InvalidRequestException.class);
  }
}
