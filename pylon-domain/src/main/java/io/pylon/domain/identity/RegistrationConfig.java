package io.pylon.domain.identity;

import java.util.Optional;

/**
 * A CA's just-in-time provisioning settings, kept as given: the template (inline or by name) and
 * the role AWS would assume. Pylon stores and returns them; provisioning reads them later.
 */
public record RegistrationConfig(
    Optional<String> templateBody, Optional<String> roleArn, Optional<String> templateName) {

  public static final RegistrationConfig NONE =
      new RegistrationConfig(Optional.empty(), Optional.empty(), Optional.empty());

  public boolean isEmpty() {
    return templateBody.isEmpty() && roleArn.isEmpty() && templateName.isEmpty();
  }
}
