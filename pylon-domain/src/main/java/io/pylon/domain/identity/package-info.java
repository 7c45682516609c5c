/**
 * Device identity as AWS IoT has it: X.509 client certificates ({@link
 * io.pylon.domain.identity.Certificate}, {@link io.pylon.domain.identity.CertificateService}) and
 * the CA certificates that may sign them ({@link io.pylon.domain.identity.CaCertificate}, {@link
 * io.pylon.domain.identity.CaCertificateService}), with their statuses, the registration code that
 * proves possession of a CA key, and the rules of which status changes and deletions are allowed.
 *
 * <p>Ports the server implements: {@link io.pylon.domain.identity.CertificateIssuer} (Pylon's own
 * CA issues certificates), {@link io.pylon.domain.identity.CertificateAttachments} (what policies
 * and things are attached to a certificate) and {@link io.pylon.domain.identity.IdentityListener}
 * (connections and TLS trust follow status changes). Storage is {@link
 * io.pylon.domain.identity.CertificateStore} and {@link
 * io.pylon.domain.identity.CaCertificateStore}.
 *
 * <p>Parsing uses the JDK for certificates and BouncyCastle for CSRs; no Netty, JDBC or HTTP.
 */
package io.pylon.domain.identity;
