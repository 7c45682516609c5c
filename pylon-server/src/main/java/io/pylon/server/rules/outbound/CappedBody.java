package io.pylon.server.rules.outbound;

import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Reads a response body only to count it: rule actions ignore what the peer answers, but AWS stops
 * retrying once a response exceeds 16 KB, so the size matters and nothing beyond the cap is read
 * (the subscription is cancelled, which closes the connection).
 */
final class CappedBody implements HttpResponse.BodySubscriber<CappedBody.Size> {

  /**
   * @param bytes bytes read, at most the cap plus one buffer
   * @param oversized whether the body was longer than the cap
   */
  record Size(long bytes, boolean oversized) {}

  private final long cap;
  private final CompletableFuture<Size> result = new CompletableFuture<>();
  private Flow.Subscription subscription;
  private long read;

  CappedBody(long cap) {
    this.cap = cap;
  }

  static HttpResponse.BodyHandler<Size> handler(long cap) {
    return info -> new CappedBody(cap);
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    this.subscription = subscription;
    subscription.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      read += item.remaining();
    }
    if (read > cap) {
      result.complete(new Size(read, true));
      subscription.cancel();
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(new Size(read, false));
  }

  @Override
  public CompletionStage<Size> getBody() {
    return result;
  }
}
