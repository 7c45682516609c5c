package io.pylon.server.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The AWS identity Pylon presents: it appears in ARNs, endpoints and SigV4 credential scopes, so
 * clients that build or parse them see what they would see on AWS.
 *
 * @param accountId twelve digits
 * @param region an AWS region name such as {@code us-east-1}
 */
public record AwsConfig(String accountId, String region) {

  private static final Pattern ACCOUNT_ID = Pattern.compile("\\d{12}");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d{1,2}");

  public AwsConfig {
    Objects.requireNonNull(accountId, "accountId");
    Objects.requireNonNull(region, "region");
    if (!ACCOUNT_ID.matcher(accountId).matches()) {
      throw new ConfigException(
          "aws.account-id: must be exactly 12 digits, was '" + accountId + "'");
    }
    if (!REGION.matcher(region).matches()) {
      throw new ConfigException(
          "aws.region: must be a region name such as us-east-1, was '" + region + "'");
    }
  }
}
