package io.pylon.server.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The AWS identity Pylon presents: it appears in ARNs, endpoints and SigV4 credential scopes, so
 * clients that build or parse them see what they would see on AWS.
 *
 * @param accountId twelve digits
 * @param region an AWS region name such as {@code us-east-1}
 * @param accessKeyId the administrator's SigV4 access key id, or empty to use (and on first start
 *     create) {@code <data-dir>/credentials}
 * @param secretAccessKey its secret, empty exactly when {@code accessKeyId} is; never printed
 */
public record AwsConfig(
    String accountId, String region, String accessKeyId, String secretAccessKey) {

  private static final Pattern ACCESS_KEY_ID = Pattern.compile("[A-Z0-9]{16,128}");

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
    Objects.requireNonNull(accessKeyId, "accessKeyId");
    Objects.requireNonNull(secretAccessKey, "secretAccessKey");
    if (accessKeyId.isEmpty() != secretAccessKey.isEmpty()) {
      throw new ConfigException("aws.access-key-id and aws.secret-access-key: set both or neither");
    }
    if (!accessKeyId.isEmpty() && !ACCESS_KEY_ID.matcher(accessKeyId).matches()) {
      throw new ConfigException(
          "aws.access-key-id: must be 16 to 128 upper-case letters and digits, as AWS access key"
              + " ids are");
    }
    if (!secretAccessKey.isEmpty() && secretAccessKey.length() < 16) {
      throw new ConfigException("aws.secret-access-key: must be at least 16 characters");
    }
  }

  /** Without configured keys: the data directory's credentials file is used. */
  public AwsConfig(String accountId, String region) {
    this(accountId, region, "", "");
  }

  /** Whether the administrator's keys come from configuration instead of the data directory. */
  public boolean hasConfiguredKeys() {
    return !accessKeyId.isEmpty();
  }

  /** Keeps the secret out of logs. */
  @Override
  public String toString() {
    return "AwsConfig[accountId="
        + accountId
        + ", region="
        + region
        + ", accessKeyId="
        + accessKeyId
        + ", secretAccessKey="
        + (secretAccessKey.isEmpty() ? "" : "****")
        + "]";
  }
}
