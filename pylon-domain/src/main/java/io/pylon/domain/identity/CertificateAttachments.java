package io.pylon.domain.identity;

/**
 * What is attached to a certificate elsewhere in the domain (policies, things), which decides
 * whether it may be deleted. The server implements it over the policy and registry services; until
 * those exist {@link #NONE} says nothing is attached.
 */
public interface CertificateAttachments {

  /** Whether any thing has the certificate as a principal (AttachThingPrincipal). */
  boolean hasThings(String certificateArn);

  /** Whether any policy is attached to the certificate (AttachPolicy). */
  boolean hasPolicies(String certificateArn);

  /** Detaches every policy from the certificate, for DeleteCertificate with forceDelete. */
  void detachPolicies(String certificateArn);

  /** Nothing is ever attached. */
  CertificateAttachments NONE =
      new CertificateAttachments() {
        @Override
        public boolean hasThings(String certificateArn) {
          return false;
        }

        @Override
        public boolean hasPolicies(String certificateArn) {
          return false;
        }

        @Override
        public void detachPolicies(String certificateArn) {}
      };
}
