package io.pylon.domain;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The account id and region that this server's resources belong to, as they appear in ARNs. AWS
 * clients only ever see them inside ARNs and in DescribeEndpoint, so any twelve-digit id works.
 *
 * @param accountId twelve digits
 * @param region an AWS region name such as {@code us-east-1}
 */
public record AwsAccount(String accountId, String region) {

  private static final Pattern ACCOUNT_ID = Pattern.compile("[0-9]{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]+");

  public AwsAccount {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    if (!ACCOUNT_ID.matcher(accountId).matches()) {
      throw new IllegalArgumentException(
          "account id must be twelve digits, was '" + accountId + "'");
    }
    if (!REGION.matcher(region).matches()) {
      throw new IllegalArgumentException("not an AWS region name: '" + region + "'");
    }
  }

  /**
   * The ARN of an IoT resource, for example {@code arn("thing", "lamp-1")} gives {@code
   * arn:aws:iot:us-east-1:123456789012:thing/lamp-1}.
   */
  public String arn(String resourceType, String resourceId) {
    return "arn:aws:iot:" + region + ':' + accountId + ':' + resourceType + '/' + resourceId;
  }

  /** The resource part of an IoT ARN of this account, or empty if the ARN is not one. */
  public Optional<String> resourceOf(String arn, String resourceType) {
    String prefix = "arn:aws:iot:" + region + ':' + accountId + ':' + resourceType + '/';
    return arn.startsWith(prefix) && arn.length() > prefix.length()
        ? Optional.of(arn.substring(prefix.length()))
        : Optional.empty();
  }
}
