package io.pylon.server.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * An error as AWS's restJson services answer it: the status, the error name in {@code
 * x-amzn-ErrorType}, and a JSON body with {@code message}. The one place the HTTPS listener builds
 * such a response, so every refusal has the same shape.
 */
public final class AwsErrorResponse {

  private static final ObjectMapper JSON = new ObjectMapper();

  private AwsErrorResponse() {}

  public static FullHttpResponse of(int status, String errorType, String message) {
    ObjectNode body = JSON.createObjectNode().put("message", message);
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an error body", e);
    }
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            Unpooled.wrappedBuffer(bytes));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    response.headers().set("x-amzn-ErrorType", errorType);
    return response;
  }
}
