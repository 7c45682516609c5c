package io.pylon.http.identity;

import static io.pylon.http.identity.Requests.json;
import static io.pylon.http.identity.Requests.op;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.AwsAccount;
import io.pylon.domain.error.CertificateStateException;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.identity.CertificateAttachments;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.IdentityListeners;
import io.pylon.domain.identity.MemoryCaCertificateStore;
import io.pylon.domain.identity.MemoryCertificateStore;
import io.pylon.http.rest.RestResponse;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

class CertificatesApiTest {

  private final TestCa ca = new TestCa("Pylon Test CA");
  private final CertificateService service =
      new CertificateService(
          new AwsAccount("123456789012", "eu-west-1"),
          new MemoryCertificateStore(),
          new MemoryCaCertificateStore(),
          ca,
          CertificateAttachments.NONE,
          new IdentityListeners(),
          Clock.systemUTC());
  private final CertificatesApi api = new CertificatesApi(service);

  @Test
  void register_servesEveryCertificateOperationOfIot() {
    List<String> operations = new ArrayList<>();
    api.register(
        (service, operation, handler) -> {
          assertThat(service).isEqualTo("iot");
          operations.add(operation);
        });
    assertThat(operations)
        .containsExactlyInAnyOrder(
            "CreateKeysAndCertificate",
            "CreateCertificateFromCsr",
            "RegisterCertificate",
            "RegisterCertificateWithoutCA",
            "DescribeCertificate",
            "ListCertificates",
            "ListCertificatesByCA",
            "UpdateCertificate",
            "DeleteCertificate");
  }

  @Test
  void createKeysAndCertificate_answersTheBotocoreShape() {
    JsonNode body =
        json(
            api.createKeysAndCertificate(
                op("CreateKeysAndCertificate").query("setAsActive", "true").build()));

    assertThat(names(body))
        .containsExactly("certificateArn", "certificateId", "certificatePem", "keyPair");
    assertThat(names(body.get("keyPair"))).containsExactly("PublicKey", "PrivateKey");
    assertThat(body.get("certificateArn").asText())
        .isEqualTo("arn:aws:iot:eu-west-1:123456789012:cert/" + body.get("certificateId").asText());
    assertThat(body.get("keyPair").get("PrivateKey").asText()).contains("PRIVATE KEY");
    assertThat(service.describeCertificate(body.get("certificateId").asText()).status().name())
        .isEqualTo("ACTIVE");
  }

  @Test
  void createCertificateFromCsr_answersArnIdAndPem() throws Exception {
    var keys = TestCa.rsa();
    String csr =
        TestCa.pem(
            new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=dev"), keys.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));

    JsonNode body =
        json(
            api.createCertificateFromCsr(
                op("CreateCertificateFromCsr")
                    .body(Map.of("certificateSigningRequest", csr))
                    .build()));

    assertThat(names(body)).containsExactly("certificateArn", "certificateId", "certificatePem");
    assertThatThrownBy(() -> api.createCertificateFromCsr(op("CreateCertificateFromCsr").build()))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("certificateSigningRequest");
  }

  @Test
  void registerCertificate_thenDescribe_answersEveryDescriptionMember() {
    String pem = TestCa.pem(ca.issue("device-1"));
    JsonNode registered =
        json(
            api.registerCertificate(
                op("RegisterCertificate")
                    .body(Map.of("certificatePem", pem, "status", "ACTIVE"))
                    .build()));
    assertThat(names(registered)).containsExactly("certificateArn", "certificateId");
    String id = registered.get("certificateId").asText();

    JsonNode d =
        json(api.describeCertificate(op("DescribeCertificate").label("certificateId", id).build()))
            .get("certificateDescription");

    assertThat(names(d))
        .containsExactly(
            "certificateArn",
            "certificateId",
            "status",
            "certificatePem",
            "ownedBy",
            "creationDate",
            "lastModifiedDate",
            "customerVersion",
            "transferData",
            "generationId",
            "validity",
            "certificateMode");
    assertThat(d.get("status").asText()).isEqualTo("ACTIVE");
    assertThat(d.get("ownedBy").asText()).isEqualTo("123456789012");
    assertThat(d.get("creationDate").isNumber()).isTrue();
    assertThat(d.get("validity").get("notAfter").isNumber()).isTrue();
    assertThat(d.get("certificateMode").asText()).isEqualTo("DEFAULT");
  }

  @Test
  void registerCertificateWithoutCa_isSniOnly() {
    TestCa other = new TestCa("Unregistered CA");
    String id =
        json(api.registerCertificateWithoutCa(
                op("RegisterCertificateWithoutCA")
                    .body(Map.of("certificatePem", TestCa.pem(other.issue("x"))))
                    .build()))
            .get("certificateId")
            .asText();
    assertThat(service.describeCertificate(id).mode().name()).isEqualTo("SNI_ONLY");
    assertThat(service.describeCertificate(id).status().name()).isEqualTo("INACTIVE");
  }

  @Test
  void listCertificates_pagesWithNextMarker() {
    for (int i = 0; i < 3; i++) {
      service.createKeysAndCertificate(false);
    }
    JsonNode first =
        json(api.listCertificates(op("ListCertificates").query("pageSize", "2").build()));
    JsonNode second =
        json(
            api.listCertificates(
                op("ListCertificates")
                    .query("pageSize", "2")
                    .query("marker", first.get("nextMarker").asText())
                    .build()));

    assertThat(first.get("certificates")).hasSize(2);
    assertThat(names(first.get("certificates").get(0)))
        .containsExactly(
            "certificateArn", "certificateId", "status", "certificateMode", "creationDate");
    assertThat(second.get("certificates")).hasSize(1);
    assertThat(second.has("nextMarker")).isFalse();
    assertThatThrownBy(
            () -> api.listCertificates(op("ListCertificates").query("pageSize", "0").build()))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void updateCertificate_needsAKnownNewStatus_thenDeleteWorks() {
    String id = service.createKeysAndCertificate(true).certificate().id();

    assertThatThrownBy(
            () -> api.updateCertificate(op("UpdateCertificate").label("certificateId", id).build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                api.updateCertificate(
                    op("UpdateCertificate")
                        .label("certificateId", id)
                        .query("newStatus", "SLEEPY")
                        .build()))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> api.deleteCertificate(op("DeleteCertificate").label("certificateId", id).build()))
        .isInstanceOf(CertificateStateException.class);

    RestResponse updated =
        api.updateCertificate(
            op("UpdateCertificate")
                .label("certificateId", id)
                .query("newStatus", "INACTIVE")
                .build());
    RestResponse deleted =
        api.deleteCertificate(
            op("DeleteCertificate")
                .label("certificateId", id)
                .query("forceDelete", "true")
                .build());

    assertThat(updated.status()).isEqualTo(200);
    assertThat(deleted.body()).isEmpty();
    assertThat(service.find(id)).isEmpty();
  }

  static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
