package io.pylon.store.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.pylon.domain.shadow.ShadowId;
import io.pylon.domain.shadow.ShadowLimits;
import io.pylon.domain.shadow.ShadowRecord;
import io.pylon.domain.shadow.ShadowService;
import io.pylon.domain.shadow.ShadowStore;
import io.pylon.domain.shadow.ShadowUpdate;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ShadowStore} must do; subclasses supply the store. */
abstract class ShadowStoreContract {

  private static final ShadowId CLASSIC = ShadowId.classic("lamp");
  private static final ShadowId NAMED = ShadowId.named("lamp", "cfg");
  private static final String DOC = "{\"state\":{\"reported\":{\"a\":1}},\"metadata\":{}}";

  private ShadowStore shadows;

  protected abstract ShadowStore open();

  @BeforeEach
  void openStore() {
    shadows = open();
  }

  @Test
  void replace_fromNothing_insertsOnce() {
    ShadowRecord first = new ShadowRecord(CLASSIC, 1, DOC, 100);

    assertThat(shadows.replace(Optional.empty(), first)).isTrue();
    assertThat(shadows.replace(Optional.empty(), new ShadowRecord(CLASSIC, 1, "{}", 101)))
        .isFalse();
    assertThat(shadows.find(CLASSIC)).contains(first);
    assertThat(shadows.find(NAMED)).isEmpty();
  }

  @Test
  void replace_conditionalOnVersionAndDeletedState() {
    ShadowRecord v1 = new ShadowRecord(CLASSIC, 1, DOC, 100);
    shadows.replace(Optional.empty(), v1);
    ShadowRecord v2 = new ShadowRecord(CLASSIC, 2, DOC, 101);

    assertThat(shadows.replace(Optional.of(v1), v2)).isTrue();
    assertThat(shadows.replace(Optional.of(v1), new ShadowRecord(CLASSIC, 2, "{}", 102)))
        .as("stale expected version")
        .isFalse();
    ShadowRecord deleted = new ShadowRecord(CLASSIC, 2, null, 103);
    assertThat(shadows.replace(Optional.of(v2), deleted)).isTrue();
    assertThat(shadows.replace(Optional.of(v2), new ShadowRecord(CLASSIC, 3, DOC, 104)))
        .as("same version but deleted since")
        .isFalse();
    assertThat(shadows.find(CLASSIC)).contains(deleted);
    assertThat(shadows.find(CLASSIC).orElseThrow().isDeleted()).isTrue();
  }

  @Test
  void namedShadows_ascendingExistingOnly_paged() {
    shadows.replace(Optional.empty(), new ShadowRecord(CLASSIC, 1, DOC, 1));
    for (String name : List.of("ota", "Cfg", "cfg", "a-b", "a_b", "$x")) {
      shadows.replace(Optional.empty(), new ShadowRecord(ShadowId.named("lamp", name), 1, DOC, 1));
    }
    ShadowId gone = ShadowId.named("lamp", "gone");
    ShadowRecord goneRecord = new ShadowRecord(gone, 1, DOC, 1);
    shadows.replace(Optional.empty(), goneRecord);
    shadows.replace(Optional.of(goneRecord), new ShadowRecord(gone, 1, null, 2));
    shadows.replace(Optional.empty(), new ShadowRecord(ShadowId.named("other", "zz"), 1, DOC, 1));

    assertThat(shadows.namedShadows("lamp", Optional.empty(), 10))
        .containsExactly("$x", "Cfg", "a-b", "a_b", "cfg", "ota");
    assertThat(shadows.namedShadows("lamp", Optional.of("a-b"), 2)).containsExactly("a_b", "cfg");
    assertThat(shadows.namedShadows("nobody", Optional.empty(), 10)).isEmpty();
  }

  @Test
  void service_concurrentUpdates_noLostUpdate() throws Exception {
    ShadowService service =
        new ShadowService(shadows, Clock.systemUTC(), ShadowLimits.AWS.unthrottled());
    int writers = 4;
    int each = 10;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<ShadowUpdate>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        for (int i = 1; i <= each; i++) {
          String body = "{\"state\":{\"reported\":{\"w" + w + "\":" + i + "}}}";
          done.add(pool.submit(() -> service.update(NAMED, body.getBytes(StandardCharsets.UTF_8))));
        }
      }
      for (Future<ShadowUpdate> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    var got = service.get(NAMED, Optional.empty());
    assertThat(got.get("version").asLong()).isEqualTo((long) writers * each);
    assertThat(got.get("state").get("reported").size()).isEqualTo(writers);
  }
}
