package io.pylon.domain.identity;

import io.pylon.domain.error.InvalidRequestException;

/** A CA certificate's status: only device certificates of an ACTIVE CA may connect. */
public enum CaCertificateStatus {
  ACTIVE,
  INACTIVE;

  public static CaCertificateStatus parse(String member, String value) {
    for (CaCertificateStatus s : values()) {
      if (s.name().equals(value)) {
        return s;
      }
    }
    throw new InvalidRequestException(member + " must be ACTIVE or INACTIVE; was '" + value + "'");
  }
}
