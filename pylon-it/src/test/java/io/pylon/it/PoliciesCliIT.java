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
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Policies and certificates through the real AWS CLI: policy versions and their limit, the
 * preconditions of deleting policies, versions and certificates, and registering a certificate made
 * outside the server, with the errors the CLI prints.
 */
class PoliciesCliIT {

  @RegisterExtension static final PylonServerExtension pylon = new PylonServerExtension();

  private static final String ALLOW_CONNECT =
      "{\"Version\":\"2012-10-17\",\"Statement\":"
          + "[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}";

  private static AwsCli aws;

  @BeforeAll
  static void setUp() {
    aws = AwsCli.of(pylon);
  }

  private static String allowPublish(int n) {
    return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
        + "\"Action\":\"iot:Publish\",\"Resource\":\"arn:aws:iot:*:*:topic/v"
        + n
        + "\"}]}";
  }

  // ---- policies -----------------------------------------------------------------------------

  @Test
  void policy_createGetList_duplicateAndMissingAndMalformedAreErrors() {
    JsonNode created =
        ok("iot", "create-policy", "--policy-name", "pc-basic", "--policy-document", ALLOW_CONNECT)
            .json();
    assertThat(created.path("policyName").asText()).isEqualTo("pc-basic");
    assertThat(created.path("policyArn").asText()).endsWith(":policy/pc-basic");
    assertThat(created.path("policyVersionId").asText()).isEqualTo("1");

    JsonNode got = ok("iot", "get-policy", "--policy-name", "pc-basic").json();
    assertThat(got.path("defaultVersionId").asText()).isEqualTo("1");
    assertThat(got.path("policyArn").asText()).isEqualTo(created.path("policyArn").asText());
    assertThat(got.path("policyDocument").asText()).contains("iot:Connect");
    assertThat(RegistryCliIT.timestamp(got.path("creationDate")))
        .isBetween(Instant.now().minus(Duration.ofMinutes(5)), Instant.now());

    assertThat(names(ok("iot", "list-policies").json().path("policies"), "policyName"))
        .contains("pc-basic");

    assertError(
        aws.run(
            "iot",
            "create-policy",
            "--policy-name",
            "pc-basic",
            "--policy-document",
            ALLOW_CONNECT),
        "ResourceAlreadyExistsException",
        "CreatePolicy");
    assertError(
        aws.run("iot", "get-policy", "--policy-name", "pc-nothing"),
        "ResourceNotFoundException",
        "GetPolicy");
    assertError(
        aws.run(
            "iot",
            "create-policy",
            "--policy-name",
            "pc-malformed",
            "--policy-document",
            "{\"Statement\":[{\"Effect\":\"Perhaps\"}]}"),
        "MalformedPolicyException",
        "CreatePolicy");
  }

  @Test
  void policyVersions_fiveAtMost_defaultCannotBeDeleted_othersCan() {
    ok(
        "iot",
        "create-policy",
        "--policy-name",
        "pc-versions",
        "--policy-document",
        allowPublish(1));
    for (int n = 2; n <= 5; n++) {
      JsonNode version =
          ok(
                  "iot",
                  "create-policy-version",
                  "--policy-name",
                  "pc-versions",
                  "--policy-document",
                  allowPublish(n))
              .json();
      assertThat(version.path("policyVersionId").asText()).isEqualTo(Integer.toString(n));
      assertThat(version.path("isDefaultVersion").asBoolean()).isFalse();
    }
    assertError(
        aws.run(
            "iot",
            "create-policy-version",
            "--policy-name",
            "pc-versions",
            "--policy-document",
            allowPublish(6)),
        "VersionsLimitExceededException",
        "CreatePolicyVersion");

    JsonNode versions =
        ok("iot", "list-policy-versions", "--policy-name", "pc-versions")
            .json()
            .path("policyVersions");
    assertThat(names(versions, "versionId")).containsExactlyInAnyOrder("1", "2", "3", "4", "5");
    for (JsonNode v : versions) {
      assertThat(v.path("isDefaultVersion").asBoolean())
          .as("version " + v.path("versionId").asText())
          .isEqualTo(v.path("versionId").asText().equals("1"));
    }

    ok(
        "iot",
        "set-default-policy-version",
        "--policy-name",
        "pc-versions",
        "--policy-version-id",
        "3");
    JsonNode policy = ok("iot", "get-policy", "--policy-name", "pc-versions").json();
    assertThat(policy.path("defaultVersionId").asText()).isEqualTo("3");
    assertThat(policy.path("policyDocument").asText()).contains("topic/v3");
    JsonNode v3 =
        ok("iot", "get-policy-version", "--policy-name", "pc-versions", "--policy-version-id", "3")
            .json();
    assertThat(v3.path("isDefaultVersion").asBoolean()).isTrue();

    assertError(
        aws.run(
            "iot",
            "delete-policy-version",
            "--policy-name",
            "pc-versions",
            "--policy-version-id",
            "3"),
        "DeleteConflictException",
        "DeletePolicyVersion");
    ok("iot", "delete-policy-version", "--policy-name", "pc-versions", "--policy-version-id", "1");
    assertError(
        aws.run(
            "iot",
            "get-policy-version",
            "--policy-name",
            "pc-versions",
            "--policy-version-id",
            "1"),
        "ResourceNotFoundException",
        "GetPolicyVersion");

    // Room again for one more; version ids keep counting up.
    JsonNode sixth =
        ok(
                "iot",
                "create-policy-version",
                "--policy-name",
                "pc-versions",
                "--policy-document",
                allowPublish(6),
                "--set-as-default")
            .json();
    assertThat(sixth.path("policyVersionId").asText()).isEqualTo("6");
    assertThat(sixth.path("isDefaultVersion").asBoolean()).isTrue();

    // DeletePolicy needs the non-default versions gone first.
    assertError(
        aws.run("iot", "delete-policy", "--policy-name", "pc-versions"),
        "DeleteConflictException",
        "DeletePolicy");
    for (String id : new String[] {"2", "3", "4", "5"}) {
      ok("iot", "delete-policy-version", "--policy-name", "pc-versions", "--policy-version-id", id);
    }
    ok("iot", "delete-policy", "--policy-name", "pc-versions");
    assertError(
        aws.run("iot", "get-policy", "--policy-name", "pc-versions"),
        "ResourceNotFoundException",
        "GetPolicy");
  }

  @Test
  void deletePolicy_whileAttached_isAConflict_afterDetachItSucceeds() {
    ok("iot", "create-policy", "--policy-name", "pc-attached", "--policy-document", ALLOW_CONNECT);
    String certificateArn =
        ok("iot", "create-keys-and-certificate").json().path("certificateArn").asText();
    ok("iot", "attach-policy", "--policy-name", "pc-attached", "--target", certificateArn);
    assertThat(
            names(
                ok("iot", "list-attached-policies", "--target", certificateArn)
                    .json()
                    .path("policies"),
                "policyName"))
        .containsExactly("pc-attached");
    assertThat(
            ok("iot", "list-targets-for-policy", "--policy-name", "pc-attached")
                .json()
                .path("targets")
                .get(0)
                .asText())
        .isEqualTo(certificateArn);

    assertError(
        aws.run("iot", "delete-policy", "--policy-name", "pc-attached"),
        "DeleteConflictException",
        "DeletePolicy");

    ok("iot", "detach-policy", "--policy-name", "pc-attached", "--target", certificateArn);
    ok("iot", "delete-policy", "--policy-name", "pc-attached");
    assertThat(names(ok("iot", "list-policies").json().path("policies"), "policyName"))
        .doesNotContain("pc-attached");
  }

  @Test
  void attachPolicy_toAMissingTargetOrMissingPolicy_isNotFound() {
    ok("iot", "create-policy", "--policy-name", "pc-lonely", "--policy-document", ALLOW_CONNECT);
    String missingCert = pylon.server().account().arn("cert", "0".repeat(64));
    assertError(
        aws.run("iot", "attach-policy", "--policy-name", "pc-lonely", "--target", missingCert),
        "ResourceNotFoundException",
        "AttachPolicy");
    String certificateArn =
        ok("iot", "create-keys-and-certificate").json().path("certificateArn").asText();
    assertError(
        aws.run("iot", "attach-policy", "--policy-name", "pc-nothing", "--target", certificateArn),
        "ResourceNotFoundException",
        "AttachPolicy");
  }

  // ---- certificates -------------------------------------------------------------------------

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

  // ---- helpers ------------------------------------------------------------------------------

  private static AwsCli.Result ok(String... args) {
    AwsCli.Result result = aws.run(args);
    assertThat(result.exitCode()).as(String.join(" ", args) + "\n" + result).isZero();
    return result;
  }
}
