package io.pylon.domain.policy;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.error.InvalidRequestException;
import java.util.Objects;

/**
 * What a policy can be attached to, as AttachPolicy's {@code target} names it: a certificate ARN
 * ({@code arn:aws:iot:<region>:<account>:cert/<certificateId>}) or a thing group ARN ({@code
 * ...:thinggroup/<groupName>}) of this server's account. Cognito identities are not supported:
 * Pylon has no Cognito.
 *
 * @param kind certificate or thing group
 * @param arn the ARN as given, which is also the stored key
 * @param id the certificate id or group name inside the ARN
 */
public record PolicyTarget(Kind kind, String arn, String id) {

  /** The kinds of target. */
  public enum Kind {
    CERTIFICATE,
    THING_GROUP
  }

  public PolicyTarget {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(arn, "arn");
    Objects.requireNonNull(id, "id");
  }

  /**
   * Reads a target ARN.
   *
   * @throws InvalidRequestException when it is neither a certificate nor a thing group ARN of
   *     {@code account}
   */
  public static PolicyTarget parse(AwsAccount account, String member, String target) {
    if (target == null || target.isEmpty()) {
      throw new InvalidRequestException(member + " is required");
    }
    var certificate = account.resourceOf(target, "cert");
    if (certificate.isPresent()) {
      return new PolicyTarget(Kind.CERTIFICATE, target, certificate.get());
    }
    var group = account.resourceOf(target, "thinggroup");
    if (group.isPresent()) {
      return new PolicyTarget(Kind.THING_GROUP, target, group.get());
    }
    throw new InvalidRequestException(
        member
            + " must be a certificate ARN ("
            + account.arn("cert", "<certificateId>")
            + ") or a thing group ARN ("
            + account.arn("thinggroup", "<groupName>")
            + "); was '"
            + target
            + "'");
  }
}
