package io.pylon.http.rest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * What an operation answers: a status, extra headers and a body. The router adds {@code
 * x-amzn-RequestId} and {@code Content-Length}.
 *
 * @param status HTTP status
 * @param contentType the body's media type, empty for no body
 * @param headers extra response headers
 * @param body the body bytes, empty for none
 */
public record RestResponse(
    int status, String contentType, Map<String, String> headers, byte[] body) {

  private static final byte[] NO_BODY = new byte[0];

  public RestResponse {
    headers = Map.copyOf(headers);
  }

  /** 200 with a JSON body (AWS omits absent members; so should {@code body}). */
  public static RestResponse json(JsonNode body) {
    return new RestResponse(200, "application/json", Map.of(), RestJson.bytes(body));
  }

  /** 200 with no body, for operations that have no output members. */
  public static RestResponse empty() {
    return new RestResponse(200, "", Map.of(), NO_BODY);
  }

  /** 200 with a raw body, for blob payload outputs such as a shadow document. */
  public static RestResponse raw(byte[] body, String contentType) {
    return new RestResponse(200, contentType, Map.of(), body);
  }
}
