package io.pylon.http.sigv4;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The known-answer vectors written by {@code src/test/python/gen_sigv4_vectors.py}: requests as
 * botocore (pure-Python signer and, through awscrt, the AWS Common Runtime) put them on the wire.
 */
final class SigV4TestVectors {

  /**
   * One file per botocore generation: Debian's 1.29 (signs iot as execute-api, CRT signer) and a
   * current one.
   */
  static final List<String> FILES =
      List.of("/sigv4/botocore-vectors-debian.json", "/sigv4/botocore-vectors-current.json");

  private SigV4TestVectors() {}

  record Vector(
      String file,
      String id,
      String description,
      String signer,
      String service,
      String region,
      String timestamp,
      String accessKeyId,
      String secretAccessKey,
      String sessionToken,
      String method,
      String url,
      String rawPath,
      String rawQuery,
      List<String[]> headers,
      byte[] body,
      String expectedSignature,
      String expectedSignedHeaders,
      String expectedCanonicalRequest) {

    Instant signedAt() {
      return SigV4Canonical.parseAmzDate(timestamp);
    }

    boolean presigned() {
      return rawQuery.contains("X-Amz-Signature=");
    }

    SigV4Headers sigV4Headers() {
      SigV4Headers.Builder b = SigV4Headers.builder();
      headers.forEach(h -> b.add(h[0], h[1]));
      return b.build();
    }

    SigV4Request request() {
      return SigV4Request.of(method, rawPath, rawQuery, sigV4Headers(), body);
    }

    CredentialStore store() {
      return CredentialStore.of(
          java.util.Map.of(
              accessKeyId, new SecretKey(secretAccessKey, "admin", sessionToken, null)));
    }

    @Override
    public String toString() {
      return file.substring(file.lastIndexOf('/') + 1).replace(".json", "") + ": " + id;
    }
  }

  static List<Vector> all() {
    ObjectMapper mapper = new ObjectMapper();
    List<Vector> vectors = new ArrayList<>();
    for (String file : FILES) {
      try (InputStream in = SigV4TestVectors.class.getResourceAsStream(file)) {
        if (in == null) {
          throw new IllegalStateException("missing test resource " + file);
        }
        JsonNode doc = mapper.readTree(in);
        for (JsonNode v : doc.get("vectors")) {
          JsonNode r = v.get("request");
          JsonNode c = v.get("credentials");
          JsonNode e = v.get("expected");
          List<String[]> headers = new ArrayList<>();
          for (JsonNode h : r.get("headers")) {
            headers.add(new String[] {h.get(0).asText(), h.get(1).asText()});
          }
          vectors.add(
              new Vector(
                  file,
                  v.get("id").asText(),
                  v.get("description").asText(),
                  v.get("signer").asText(),
                  v.get("service").asText(),
                  v.get("region").asText(),
                  v.get("timestamp").asText(),
                  c.get("accessKeyId").asText(),
                  c.get("secretAccessKey").asText(),
                  c.hasNonNull("sessionToken") ? c.get("sessionToken").asText() : null,
                  r.get("method").asText(),
                  r.get("url").asText(),
                  r.get("rawPath").asText(),
                  r.get("rawQuery").asText(),
                  headers,
                  Base64.getDecoder().decode(r.get("bodyBase64").asText()),
                  e.get("signature").asText(),
                  e.get("signedHeaders").asText(),
                  e.hasNonNull("canonicalRequest") ? e.get("canonicalRequest").asText() : null));
        }
      } catch (IOException ex) {
        throw new UncheckedIOException(ex);
      }
    }
    return vectors;
  }
}
