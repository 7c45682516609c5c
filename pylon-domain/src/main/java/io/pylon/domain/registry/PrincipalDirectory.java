package io.pylon.domain.registry;

/**
 * The registry's view of the identity service: whether a principal named in AttachThingPrincipal or
 * ListPrincipalThings exists. The server wires it to the certificate service (certificate ARNs) and
 * whatever else can be a principal.
 */
@FunctionalInterface
public interface PrincipalDirectory {

  /** Whether {@code principal} (a certificate ARN, or another principal string) exists. */
  boolean exists(String principal);

  /** Accepts every principal. For tests only: a server must ask the identity service. */
  static PrincipalDirectory acceptingAll() {
    return principal -> true;
  }
}
