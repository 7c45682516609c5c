package io.pylon.domain.identity;

import io.pylon.domain.error.InvalidRequestException;

/** Whether a CA registers unknown device certificates it signed on their first connection. */
public enum AutoRegistrationStatus {
  ENABLE,
  DISABLE;

  public static AutoRegistrationStatus parse(String member, String value) {
    for (AutoRegistrationStatus s : values()) {
      if (s.name().equals(value)) {
        return s;
      }
    }
    throw new InvalidRequestException(member + " must be ENABLE or DISABLE; was '" + value + "'");
  }
}
