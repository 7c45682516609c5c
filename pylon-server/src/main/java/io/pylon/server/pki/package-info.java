/**
 * The data directory and the server's own PKI: the root CA that issues device and server
 * certificates ({@link io.pylon.server.pki.CertificateAuthority}), the directory that stores and
 * locks them ({@link io.pylon.server.pki.DataDirectory}), and the TLS contexts of the device and
 * HTTPS listeners ({@link io.pylon.server.pki.ServerTls}), whose client-certificate trust comes
 * from a {@link io.pylon.server.pki.TrustSource} so that registered CAs can join at run time.
 * Problems with files on disk are {@link io.pylon.server.pki.DataDirectoryException}s written for
 * the operator.
 */
package io.pylon.server.pki;
