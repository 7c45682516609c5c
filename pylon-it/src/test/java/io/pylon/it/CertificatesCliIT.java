package io.pylon.it;

import static io.pylon.it.RegistryCliIT.assertError;
import static io.pylon.it.RegistryCliIT.names;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.Device;
import io.pylon.it.harness.PylonServerExtension;
import io.pylon.server.auth.CertificatePrincipal;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Certificates through the real AWS CLI: create-keys-and-certificate, describe, list, status
 * changes, the preconditions of deleting, and registering certificates made outside the server
 * (with and without a CA), with the errors the CLI prints.
 */
class CertificatesCliIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static final String ALLOW_CONNECT =
      "{\"Version\":\"2012-10-17\",\"Statement\":"
          + "[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}";

  private static AwsCli aws;

  @BeforeAll
  static void setUp() {
    aws = AwsCli.of(pylon);
  }

  @Test
  void deleteCertificate_withAPolicyAttached_needsForceDelete_revokedCannotComeBack() {
    ok("iot", "create-policy", "--policy-name", "pc-forced", "--policy-document", ALLOW_CONNECT);
    JsonNode created = ok("iot", "create-keys-and-certificate", "--set-as-active").json();
    String id = created.path("certificateId").asText();
    String arn = created.path("certificateArn").asText();
    ok("iot", "attach-policy", "--policy-name", "pc-forced", "--target", arn);

    ok("iot", "update-certificate", "--certificate-id", id, "--new-status", "REVOKED");
    assertError(
        aws.run("iot", "update-certificate", "--certificate-id", id, "--new-status", "ACTIVE"),
        "CertificateStateException",
        "UpdateCertificate");
    assertError(
        aws.run("iot", "delete-certificate", "--certificate-id", id),
        "DeleteConflictException",
        "DeleteCertificate");

    ok("iot", "delete-certificate", "--certificate-id", id, "--force-delete");
    assertThat(
            ok("iot", "list-targets-for-policy", "--policy-name", "pc-forced")
                .json()
                .path("targets"))
        .isEmpty();
    ok("iot", "delete-policy", "--policy-name", "pc-forced");
  }

  @Test
  void certificate_describeListUpdate_deleteOnlyWhenInactiveAndUnattached() {
    JsonNode created = ok("iot", "create-keys-and-certificate", "--set-as-active").json();
    String id = created.path("certificateId").asText();
    String arn = created.path("certificateArn").asText();
    assertThat(created.path("certificatePem").asText()).startsWith("-----BEGIN CERTIFICATE-----");
    assertThat(created.path("keyPair").path("PrivateKey").asText()).contains("PRIVATE KEY-----");
    assertThat(created.path("keyPair").path("PublicKey").asText()).contains("PUBLIC KEY-----");

    JsonNode description =
        ok("iot", "describe-certificate", "--certificate-id", id)
            .json()
            .path("certificateDescription");
    assertThat(description.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(description.path("certificateArn").asText()).isEqualTo(arn);
    assertThat(description.path("certificatePem").asText())
        .isEqualTo(created.path("certificatePem").asText());
    assertThat(names(ok("iot", "list-certificates").json().path("certificates"), "certificateId"))
        .contains(id);

    assertError(
        aws.run("iot", "delete-certificate", "--certificate-id", id),
        "CertificateStateException",
        "DeleteCertificate");

    ok("iot", "update-certificate", "--certificate-id", id, "--new-status", "INACTIVE");
    ok("iot", "create-thing", "--thing-name", "pc-holder");
    ok("iot", "attach-thing-principal", "--thing-name", "pc-holder", "--principal", arn);
    assertError(
        aws.run("iot", "delete-certificate", "--certificate-id", id),
        "DeleteConflictException",
        "DeleteCertificate");

    ok("iot", "detach-thing-principal", "--thing-name", "pc-holder", "--principal", arn);
    ok("iot", "delete-certificate", "--certificate-id", id);
    assertError(
        aws.run("iot", "describe-certificate", "--certificate-id", id),
        "ResourceNotFoundException",
        "DescribeCertificate");
    assertError(
        aws.run("iot", "update-certificate", "--certificate-id", id, "--new-status", "ACTIVE"),
        "ResourceNotFoundException",
        "UpdateCertificate");
  }

  @Test
  void registerCertificate_ofAPemMadeHere_thenDuplicateIsRefused() throws IOException {
    // Issued by the server's root CA, but never registered: as a device maker's CA would.
    Device device = pylon.unregisteredDevice("pc-registered");
    Path pem = pylon.scratch("pems").resolve("pc-registered.pem");
    Files.writeString(pem, Files.readString(device.certificatePem()), StandardCharsets.US_ASCII);

    JsonNode registered =
        ok(
                "iot",
                "register-certificate",
                "--certificate-pem",
                "file://" + pem,
                "--status",
                "ACTIVE")
            .json();
    String id = registered.path("certificateId").asText();
    assertThat(id).isEqualTo(CertificatePrincipal.certificateId(device.certificate()));
    assertThat(registered.path("certificateArn").asText()).endsWith(":cert/" + id);
    assertThat(
            ok("iot", "describe-certificate", "--certificate-id", id)
                .json()
                .path("certificateDescription")
                .path("status")
                .asText())
        .isEqualTo("ACTIVE");

    assertError(
        aws.run("iot", "register-certificate", "--certificate-pem", "file://" + pem),
        "ResourceAlreadyExistsException",
        "RegisterCertificate");

    Path garbage = pylon.scratch("pems").resolve("garbage.pem");
    Files.writeString(
        garbage, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    assertError(
        aws.run("iot", "register-certificate", "--certificate-pem", "file://" + garbage),
        "CertificateValidationException",
        "RegisterCertificate");
  }

  @Test
  void selfSignedCertificate_needsRegisterCertificateWithoutCa() throws IOException {
    Device device =
        Device.selfSigned("pc-self-signed", pylon.caFile(), pylon.scratch("self-signed"));
    Path pem = pylon.scratch("pems").resolve("pc-self-signed.pem");
    Files.writeString(pem, Files.readString(device.certificatePem()), StandardCharsets.US_ASCII);

    assertError(
        aws.run("iot", "register-certificate", "--certificate-pem", "file://" + pem),
        "CertificateValidationException",
        "RegisterCertificate");

    JsonNode registered =
        ok(
                "iot",
                "register-certificate-without-ca",
                "--certificate-pem",
                "file://" + pem,
                "--status",
                "ACTIVE")
            .json();
    String id = registered.path("certificateId").asText();
    assertThat(id).isEqualTo(CertificatePrincipal.certificateId(device.certificate()));
    JsonNode description =
        ok("iot", "describe-certificate", "--certificate-id", id)
            .json()
            .path("certificateDescription");
    assertThat(description.path("status").asText()).isEqualTo("ACTIVE");
    assertThat(description.path("certificateMode").asText()).isEqualTo("SNI_ONLY");
  }

  private static AwsCli.Result ok(String... args) {
    AwsCli.Result result = aws.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isZero();
    return result;
  }
}
