package io.pylon.domain.identity;

import java.time.Instant;
import java.util.Objects;

/** The period a certificate is valid in, from its notBefore and notAfter fields. */
public record Validity(Instant notBefore, Instant notAfter) {

  public Validity {
    Objects.requireNonNull(notBefore, "notBefore");
    Objects.requireNonNull(notAfter, "notAfter");
  }
}
