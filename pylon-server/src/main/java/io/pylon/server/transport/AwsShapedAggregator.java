package io.pylon.server.transport;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Netty's aggregator, except that a body over the limit is refused the way AWS refuses it (413,
 * {@code x-amzn-ErrorType: RequestEntityTooLargeException}, JSON body), so SDKs report a named
 * error rather than an HTML page. The connection is closed, since the rest of the body is unread.
 * (The aggregator releases {@code oversized} itself.)
 */
final class AwsShapedAggregator extends HttpObjectAggregator {

  AwsShapedAggregator(int maxContentLength) {
    super(maxContentLength);
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized)
      throws Exception {
    if (!(oversized instanceof HttpRequest)) {
      super.handleOversizedMessage(ctx, oversized);
      return;
    }
    FullHttpResponse response =
        AwsErrorResponse.of(
            413,
            "RequestEntityTooLargeException",
            "The request body is larger than the " + maxContentLength() + " bytes accepted.");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
  }
}
