package io.pylon.server.auth;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.pylon.http.sigv4.SigV4Headers;
import io.pylon.http.sigv4.SigV4Request;
import io.pylon.http.sigv4.SigV4Verifier;
import io.pylon.http.sigv4.VerificationResult;
import io.pylon.server.transport.UpgradeAuthenticator;
import java.util.Map;

/**
 * Authenticates an MQTT-over-WebSocket upgrade by its SigV4-presigned URL, as AWS IoT does for
 * service {@code iotdevicegateway}.
 */
public final class SigV4UpgradeAuthenticator implements UpgradeAuthenticator {

  private final SigV4Verifier verifier;

  public SigV4UpgradeAuthenticator(SigV4Verifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public Outcome authenticate(FullHttpRequest request) {
    SigV4Headers.Builder headers = SigV4Headers.builder();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.add(h.getKey(), h.getValue());
    }
    SigV4Request signed =
        SigV4Request.fromRequestTarget(
            request.method().name(),
            request.uri(),
            headers.build(),
            ByteBufUtil.getBytes(request.content()));
    VerificationResult result = verifier.verify(signed);
    if (result instanceof VerificationResult.Verified) {
      VerificationResult.Verified ok = (VerificationResult.Verified) result;
      return Outcome.allow(new SigV4Principal(ok.accessKeyId(), ok.principal()));
    }
    VerificationResult.Rejected rejected = (VerificationResult.Rejected) result;
    return Outcome.deny(rejected.httpStatus(), rejected.errorCode(), rejected.message());
  }
}
