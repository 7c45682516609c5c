package io.pylon.server.shadow;

import io.pylon.domain.shadow.InFlightRequest;
import io.pylon.domain.shadow.ShadowException;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.domain.shadow.ShadowUpdate;
import io.pylon.mqtt.message.ApplicationMessage;
import io.pylon.mqtt.spi.PublishInterceptor;
import io.pylon.mqtt.spi.PublishOrigin;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves shadow requests published over MQTT.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Off the event loop.</b> The interceptor only parses the topic and queues the request;
 *       the service, which blocks on storage, runs on one of {@link #LANES} single-thread lanes,
 *       each with a bounded queue. A full lane answers 429 at once, as AWS throttles.
 *   <li><b>In flight.</b> A request is admitted under its thing's in-flight quota ({@link
 *       ShadowService#admit}) when it arrives, before it waits in a lane, and released once its
 *       answer is published or it failed, so the quota counts queued requests too.
 *   <li><b>Order.</b> A shadow always maps to the same lane, so requests for one shadow are
 *       answered in the order they arrived (an update then a get sees the update).
 *   <li><b>Routing.</b> The request itself is still routed to subscribers of its topic, as on AWS,
 *       where rules and clients can subscribe to {@code .../shadow/update}.
 * </ul>
 */
public final class ShadowRequests implements PublishInterceptor, AutoCloseable {

  static final int LANES = 4;
  static final int QUEUE_PER_LANE = 1_000;

  private static final Logger log = LoggerFactory.getLogger(ShadowRequests.class);

  private final ShadowService shadows;
  private final ShadowPublisher publisher;
  private final ThreadPoolExecutor[] lanes = new ThreadPoolExecutor[LANES];

  public ShadowRequests(ShadowService shadows, ShadowPublisher publisher) {
    this.shadows = shadows;
    this.publisher = publisher;
    for (int i = 0; i < LANES; i++) {
      String name = "pylon-shadow-" + i;
      lanes[i] =
          new ThreadPoolExecutor(
              1,
              1,
              0,
              TimeUnit.MILLISECONDS,
              new ArrayBlockingQueue<>(QUEUE_PER_LANE),
              r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
              });
    }
  }

  @Override
  public boolean handles(String topic) {
    return ShadowTopic.looksLikeRequest(topic);
  }

  @Override
  public Disposition onPublish(ApplicationMessage message, PublishOrigin origin) {
    Optional<ShadowTopic> request = ShadowTopic.parse(message.topic());
    if (request.isEmpty()) {
      return Disposition.CONTINUE;
    }
    ShadowTopic topic = request.get();
    byte[] payload = message.payload();
    InFlightRequest admitted;
    try {
      admitted = shadows.admit(topic.id());
    } catch (ShadowException e) {
      publisher.rejected(topic.answer("rejected"), e.withClientToken(safeToken(payload)));
      return Disposition.CONTINUE;
    }
    ExecutorService lane = lanes[Math.floorMod(topic.id().hashCode(), LANES)];
    try {
      lane.execute(() -> serve(admitted, topic, payload));
    } catch (RejectedExecutionException e) {
      admitted.close();
      publisher.rejected(
          topic.answer("rejected"),
          new ShadowException(ShadowException.THROTTLED, "Rate limit exceeded")
              .withClientToken(safeToken(payload)));
    }
    return Disposition.CONTINUE;
  }

  private void serve(InFlightRequest admitted, ShadowTopic topic, byte[] payload) {
    try (admitted) {
      answer(admitted, topic, payload);
    }
  }

  private void answer(InFlightRequest admitted, ShadowTopic topic, byte[] payload) {
    try {
      switch (topic.operation()) {
        case GET:
          publisher.publish(
              topic.answer("accepted"),
              shadows.get(admitted, ShadowService.clientTokenOf(payload)));
          break;
        case UPDATE:
          // The update returns only after the store committed, so accepted is durable.
          ShadowUpdate update = shadows.update(admitted, payload);
          publisher.updated(update);
          break;
        case DELETE:
          publisher.deleted(topic.id(), shadows.delete(admitted, safeToken(payload)));
          break;
        default:
          throw new IllegalStateException("unknown shadow operation " + topic.operation());
      }
    } catch (ShadowException e) {
      publisher.rejected(topic.answer("rejected"), e);
    } catch (RuntimeException e) {
      log.error("shadow request on {} failed", topic.answer("").replaceAll("/$", ""), e);
      publisher.rejected(
          topic.answer("rejected"),
          new ShadowException(ShadowException.INTERNAL, "Internal service failure")
              .withClientToken(safeToken(payload)));
    }
  }

  /** The client token if the payload has one; a delete's other content is ignored, as on AWS. */
  private static Optional<String> safeToken(byte[] payload) {
    return ShadowService.safeClientToken(payload);
  }

  @Override
  public void close() {
    for (ThreadPoolExecutor lane : lanes) {
      lane.shutdownNow();
    }
  }
}
