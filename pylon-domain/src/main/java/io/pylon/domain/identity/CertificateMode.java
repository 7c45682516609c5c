package io.pylon.domain.identity;

import io.pylon.domain.error.InvalidRequestException;

/**
 * How a certificate is recognised. DEFAULT: the issuing CA was registered with proof of possession
 * of its key (or is Pylon's own CA). SNI_ONLY: registered without a CA, or through a CA registered
 * without a verification certificate; AWS then needs SNI to find the account.
 */
public enum CertificateMode {
  DEFAULT,
  SNI_ONLY;

  public static CertificateMode parse(String member, String value) {
    for (CertificateMode m : values()) {
      if (m.name().equals(value)) {
        return m;
      }
    }
    throw new InvalidRequestException(member + " must be DEFAULT or SNI_ONLY; was '" + value + "'");
  }
}
