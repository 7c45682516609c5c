/**
 * REST handlers of the identity operations of service {@code iot}: device certificates ({@link
 * io.pylon.http.identity.CertificatesApi}) and CA certificates with the registration code ({@link
 * io.pylon.http.identity.CaCertificatesApi}). They read AWS's request members, call the domain's
 * services and answer with botocore's output shapes; failures are the domain's exceptions.
 */
package io.pylon.http.identity;
