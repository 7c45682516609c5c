/**
 * AWS Signature Version 4 ({@code AWS4-HMAC-SHA256}) verification and signing, with no dependency
 * on any HTTP server library: callers describe a request with plain values ({@link
 * io.pylon.http.sigv4.SigV4Request}) and get a {@link io.pylon.http.sigv4.VerificationResult}.
 *
 * <p>Used by the REST API (header form) and by the MQTT-over-WebSocket upgrade on {@code /mqtt}
 * (presigned query form, service {@code iotdevicegateway}); {@link io.pylon.http.sigv4.SigV4Signer}
 * serves Pylon's own clients. Only the JDK's {@code javax.crypto.Mac} and {@code
 * java.security.MessageDigest} are used.
 *
 * <p>Canonicalisation follows
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html for services other
 * than S3 (path normalised and encoded a second time) and is pinned by known-answer vectors
 * produced by botocore and the AWS Common Runtime (see {@code
 * src/test/python/gen_sigv4_vectors.py}). Failures carry the error code and message AWS's front
 * door uses ({@link io.pylon.http.sigv4.SigV4Error}); see pylon-http/README.md for sources.
 */
package io.pylon.http.sigv4;
