package io.pylon.domain.shadow;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A shadow request admitted under its thing's in-flight quota ({@link
 * ShadowLimits#inFlightPerThing}); it counts until closed. Close it once the answer exists, in a
 * {@code finally} or try-with-resources; closing again does nothing.
 */
public final class InFlightRequest implements AutoCloseable {

  private final ShadowId id;
  private final Runnable release;
  private final AtomicBoolean open = new AtomicBoolean(true);

  InFlightRequest(ShadowId id, Runnable release) {
    this.id = id;
    this.release = release;
  }

  /** The shadow the request is about. */
  public ShadowId id() {
    return id;
  }

  @Override
  public void close() {
    if (open.compareAndSet(true, false)) {
      release.run();
    }
  }
}
