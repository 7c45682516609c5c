package io.pylon.domain.policy;

import io.pylon.domain.error.MalformedPolicyException;

/**
 * Checks a policy document before CreatePolicy or CreatePolicyVersion stores it. The server
 * implements it with the policy language's parser, so that a document that would not evaluate is
 * refused when it is written rather than when a device connects.
 */
@FunctionalInterface
public interface PolicyDocumentValidator {

  /**
   * @throws MalformedPolicyException when the document is not valid JSON or not a valid IoT policy;
   *     the message tells the caller what to fix
   */
  void validate(String document);
}
