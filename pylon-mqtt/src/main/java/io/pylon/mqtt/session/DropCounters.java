package io.pylon.mqtt.session;

import java.util.concurrent.atomic.LongAdder;

/** Messages the broker did not deliver, by reason; exported as metrics. */
public final class DropCounters {

  /** The session's queue was at its limit. */
  public final LongAdder queueFull = new LongAdder();

  /** QoS 0 to a consumer whose outbound buffer was full. */
  public final LongAdder slowConsumer = new LongAdder();

  /** QoS 0 to an offline session (not queued, as AWS IoT). */
  public final LongAdder offlineQos0 = new LongAdder();

  /** Message expiry interval elapsed before delivery. */
  public final LongAdder expired = new LongAdder();

  /** Larger than the client's maximum packet size. */
  public final LongAdder tooLargeForClient = new LongAdder();

  /** The subscriber was not allowed to receive it (iot:Receive). */
  public final LongAdder notAuthorized = new LongAdder();

  /**
   * Publishes over the per-connection rate limit: inbound ones, and outbound QoS 0 ones (outbound
   * QoS 1/2 wait for the rate instead).
   */
  public final LongAdder rateLimited = new LongAdder();

  /** Sent QoS 1/2 messages not acknowledged within the redelivery window, given up on. */
  public final LongAdder redeliveryWindow = new LongAdder();
}
