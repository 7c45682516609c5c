package io.pylon.domain.identity;

import io.pylon.domain.error.InvalidRequestException;
import java.util.Locale;
import java.util.regex.Pattern;

/** The certificateId format of the AWS model: 64 hex digits (an optional 0x prefix is dropped). */
final class CertificateIds {

  private static final Pattern HEX_64 = Pattern.compile("[0-9a-f]{64}");

  private CertificateIds() {}

  /** The id in stored form (lower case, no 0x), or an InvalidRequest naming the member. */
  static String normalise(String member, String id) {
    String value = id == null ? "" : id.toLowerCase(Locale.ROOT);
    if (value.startsWith("0x")) {
      value = value.substring(2);
    }
    if (!HEX_64.matcher(value).matches()) {
      throw new InvalidRequestException(
          member + " must be 64 hexadecimal characters; was '" + id + "'");
    }
    return value;
  }
}
