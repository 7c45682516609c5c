package io.pylon.domain.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ShadowInFlightTest {

  private static final ShadowId LAMP = ShadowId.classic("lamp");
  private static final ShadowLimits TEN_IN_FLIGHT = new ShadowLimits(8 * 1024, 6, 0, 10);

  private final MemoryShadowStore memory = new MemoryShadowStore();
  private final BlockingStore store = new BlockingStore(memory, "lamp");
  private final ExecutorService pool = Executors.newFixedThreadPool(10);

  @AfterEach
  void stop() {
    store.release.countDown();
    pool.shutdownNow();
  }

  @Test
  void eleventhRequestOfAThing_whileTenAreInFlight_is429AndOtherThingsAreServed() throws Exception {
    ShadowService shadows = new ShadowService(store, Clock.systemUTC(), TEN_IN_FLIGHT);
    memory.replace(Optional.empty(), new ShadowRecord(LAMP, 1, "{\"state\":{}}", 1));
    List<Future<?>> inFlight = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      inFlight.add(pool.submit(() -> shadows.get(LAMP, Optional.empty())));
    }
    assertThat(store.arrived.await(10, TimeUnit.SECONDS)).as("ten gets inside the store").isTrue();

    assertThatThrownBy(
            () -> shadows.update(LAMP, bytes("{'state':{'reported':{'a':1}},'clientToken':'t'}")))
        .isInstanceOfSatisfying(
            ShadowException.class,
            e -> {
              assertThat(e.code()).isEqualTo(429);
              assertThat(e.getMessage()).isEqualTo("Too many in-flight requests");
              assertThat(e.errorType()).isEqualTo("ThrottlingException");
              assertThat(e.clientToken()).contains("t");
            });
    assertThatThrownBy(() -> shadows.get(ShadowId.named("lamp", "cfg"), Optional.of("g")))
        .as("named shadows of the thing share its quota")
        .isInstanceOfSatisfying(
            ShadowException.class,
            e -> {
              assertThat(e.code()).isEqualTo(429);
              assertThat(e.clientToken()).contains("g");
            });
    assertThatThrownBy(() -> shadows.delete(LAMP, Optional.empty()))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(429));
    assertThat(shadows.update(ShadowId.classic("desk"), bytes("{'state':{}}")).version())
        .as("another thing is unaffected")
        .isEqualTo(1);

    store.release.countDown();
    for (Future<?> request : inFlight) {
      request.get(10, TimeUnit.SECONDS);
    }
    assertThat(shadows.inFlight("lamp")).isZero();
    assertThat(shadows.update(LAMP, bytes("{'state':{'reported':{'a':1}}}")).version())
        .isEqualTo(2);
  }

  @Test
  void refusedAndFailedRequests_releaseTheirPlace() {
    ShadowService shadows = new ShadowService(memory, Clock.systemUTC(), TEN_IN_FLIGHT);
    for (int i = 0; i < 25; i++) {
      assertThatThrownBy(() -> shadows.get(LAMP, Optional.empty()))
          .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(404));
      assertThatThrownBy(() -> shadows.update(LAMP, bytes("not json")))
          .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    assertThat(shadows.inFlight("lamp")).isZero();
  }

  @Test
  void admittedRequests_countUntilClosed_closingTwiceReleasesOnce() {
    ShadowService shadows = new ShadowService(memory, Clock.systemUTC(), TEN_IN_FLIGHT);
    List<InFlightRequest> admitted = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      admitted.add(shadows.admit(ShadowId.named("lamp", "s" + i)));
    }

    assertThatThrownBy(() -> shadows.admit(LAMP))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(429));
    admitted.get(0).close();
    admitted.get(0).close();
    InFlightRequest last = shadows.admit(LAMP);
    assertThat(shadows.update(last, bytes("{'state':{'desired':{'on':true}}}")).version())
        .isEqualTo(1);
    assertThat(shadows.inFlight("lamp")).isEqualTo(10);
    assertThatThrownBy(() -> shadows.admit(LAMP))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(429));

    last.close();
    admitted.forEach(InFlightRequest::close);
    assertThat(shadows.inFlight("lamp")).isZero();
  }

  @Test
  void zeroMeansNoLimit() {
    ShadowService shadows =
        new ShadowService(memory, Clock.systemUTC(), new ShadowLimits(8 * 1024, 6, 0, 0));
    List<InFlightRequest> admitted = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      admitted.add(shadows.admit(LAMP));
    }

    assertThat(shadows.update(LAMP, bytes("{'state':{}}")).version()).isEqualTo(1);
    admitted.forEach(InFlightRequest::close);
  }

  private static byte[] bytes(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  /** Holds every read of one thing's shadows until released, counting the arrivals. */
  private static final class BlockingStore implements ShadowStore {
    final CountDownLatch arrived = new CountDownLatch(10);
    final CountDownLatch release = new CountDownLatch(1);
    private final ShadowStore delegate;
    private final String blockedThing;

    BlockingStore(ShadowStore delegate, String blockedThing) {
      this.delegate = delegate;
      this.blockedThing = blockedThing;
    }

    @Override
    public Optional<ShadowRecord> find(ShadowId id) {
      if (id.thingName().equals(blockedThing) && release.getCount() > 0) {
        arrived.countDown();
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
      return delegate.find(id);
    }

    @Override
    public boolean replace(Optional<ShadowRecord> expected, ShadowRecord next) {
      return delegate.replace(expected, next);
    }

    @Override
    public List<String> namedShadows(String thingName, Optional<String> afterName, int limit) {
      return delegate.namedShadows(thingName, afterName, limit);
    }
  }
}
