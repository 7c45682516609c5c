/**
 * The identity domain plugged into the server: Pylon's root CA as the domain's {@link
 * io.pylon.domain.identity.CertificateIssuer}, TLS trust that follows registered CAs and
 * certificates registered without a CA ({@link io.pylon.server.identity.RegisteredTrust}), the
 * handshake and CONNECT check that a client certificate is registered and ACTIVE ({@link
 * io.pylon.server.identity.DeviceCertificateCheck}), and closing the connections of certificates
 * that stop being ACTIVE ({@link io.pylon.server.identity.RevokedConnections}).
 */
package io.pylon.server.identity;
