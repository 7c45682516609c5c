package io.pylon.domain.identity;

import io.pylon.domain.error.InvalidRequestException;

/**
 * A device certificate's status, as AWS IoT names it. Only {@link #ACTIVE} may connect.
 * REGISTER_INACTIVE is deprecated in AWS and kept only so that stored or sent values round-trip.
 */
public enum CertificateStatus {
  ACTIVE,
  INACTIVE,
  REVOKED,
  PENDING_TRANSFER,
  REGISTER_INACTIVE,
  PENDING_ACTIVATION;

  /** The status named {@code value}; anything else is an InvalidRequest naming the member. */
  public static CertificateStatus parse(String member, String value) {
    for (CertificateStatus s : values()) {
      if (s.name().equals(value)) {
        return s;
      }
    }
    throw new InvalidRequestException(
        member
            + " must be one of ACTIVE, INACTIVE, REVOKED, PENDING_TRANSFER,"
            + " REGISTER_INACTIVE, PENDING_ACTIVATION; was '"
            + value
            + "'");
  }
}
