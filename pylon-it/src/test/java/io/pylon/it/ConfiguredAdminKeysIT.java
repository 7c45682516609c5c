package io.pylon.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.it.harness.AwsCli;
import io.pylon.it.harness.PylonServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Administrator keys given in configuration ({@code aws.access-key-id}, {@code
 * aws.secret-access-key}) sign the AWS APIs instead of generated ones in the data directory.
 */
class ConfiguredAdminKeysIT {

  private static final String KEY_ID = "AKIAPYLONCONFIGKEY01";
  private static final String SECRET = "configured-secret-access-key-0001";

  @RegisterExtension
  static final PylonServerExtension pylon =
      new PylonServerExtension()
          .with("aws.access-key-id", KEY_ID)
          .with("aws.secret-access-key", SECRET);

  @Test
  void configuredKeys_signTheApis_andNoCredentialsFileIsCreated() {
    AwsCli aws = AwsCli.of(pylon).withCredentials(KEY_ID, SECRET);

    AwsCli.Result endpoint = aws.run("iot", "describe-endpoint");

    assertThat(endpoint.exitCode()).as(endpoint.toString()).isZero();
    assertThat(pylon.server().credentials().accessKeyId()).isEqualTo(KEY_ID);
    assertThat(pylon.server().credentialsFile()).doesNotExist();
  }

  @Test
  void otherKeys_areRefused() {
    AwsCli.Result refused =
        AwsCli.of(pylon)
            .withCredentials("AKIAPYLONOTHERKEY001", "some-other-secret-0001")
            .run("iot", "describe-endpoint");

    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(254);
    assertThat(refused.errorCode()).hasValue("UnrecognizedClientException");
  }
}
