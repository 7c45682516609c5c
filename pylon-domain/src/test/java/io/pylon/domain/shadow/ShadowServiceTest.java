package io.pylon.domain.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ShadowServiceTest {

  private static final ShadowId LAMP = ShadowId.classic("lamp");
  private static final long T0 = 1_717_171_717L;

  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(T0));
  private final MemoryShadowStore store = new MemoryShadowStore();
  private final ShadowService shadows =
      new ShadowService(store, clock, ShadowLimits.AWS.unthrottled());

  @Test
  void update_newShadow_acceptedEchoesStateWithMetadataVersionAndToken() {
    ShadowUpdate update =
        shadows.update(
            LAMP, bytes("{'state':{'desired':{'color':'red','gone':null}},'clientToken':'c-1'}"));

    assertThat(reread(update.accepted()))
        .isEqualTo(
            json(
                "{'state':{'desired':{'color':'red','gone':null}},"
                    + "'metadata':{'desired':{'color':{'timestamp':T},'gone':{'timestamp':T}}},"
                    + "'version':1,'timestamp':T,'clientToken':'c-1'}"));
    assertThat(reread(update.delta().orElseThrow()))
        .isEqualTo(
            json(
                "{'version':1,'timestamp':T,'state':{'color':'red'},"
                    + "'metadata':{'color':{'timestamp':T}},'clientToken':'c-1'}"));
    assertThat(reread(update.documents()))
        .isEqualTo(
            json(
                "{'current':{'state':{'desired':{'color':'red'}},"
                    + "'metadata':{'desired':{'color':{'timestamp':T}}},'version':1},"
                    + "'timestamp':T,'clientToken':'c-1'}"));
  }

  @Test
  void update_existingShadow_documentsCarryPreviousAndVersionIncrements() {
    shadows.update(LAMP, bytes("{'state':{'reported':{'color':'red'}}}"));
    clock.advance(Duration.ofSeconds(5));

    ShadowUpdate update = shadows.update(LAMP, bytes("{'state':{'reported':{'color':'red'}}}"));

    assertThat(update.version()).isEqualTo(2);
    assertThat(update.delta()).isEmpty();
    assertThat(reread(update.documents().get("previous")))
        .isEqualTo(
            json(
                "{'state':{'reported':{'color':'red'}},"
                    + "'metadata':{'reported':{'color':{'timestamp':T}}},'version':1}"));
    assertThat(update.documents().at("/current/metadata/reported/color/timestamp").asLong())
        .isEqualTo(T0 + 5);
  }

  @Test
  void get_returnsStateDeltaMetadataVersionTimestampToken() {
    shadows.update(LAMP, bytes("{'state':{'desired':{'a':1,'b':2},'reported':{'a':1}}}"));

    ObjectNode got = shadows.get(LAMP, Optional.of("g-7"));

    assertThat(reread(got))
        .isEqualTo(
            json(
                "{'state':{'desired':{'a':1,'b':2},'reported':{'a':1},'delta':{'b':2}},"
                    + "'metadata':{'desired':{'a':{'timestamp':T},'b':{'timestamp':T}},"
                    + "'reported':{'a':{'timestamp':T}}},"
                    + "'version':1,'timestamp':T,'clientToken':'g-7'}"));
  }

  @Test
  void get_missingShadow_is404NamingIt() {
    assertThatThrownBy(() -> shadows.get(ShadowId.named("lamp", "cfg"), Optional.of("t")))
        .isInstanceOfSatisfying(
            ShadowException.class,
            e -> {
              assertThat(e.code()).isEqualTo(404);
              assertThat(e.getMessage()).isEqualTo("No shadow exists with name: 'cfg'");
              assertThat(e.clientToken()).contains("t");
            });
  }

  @Test
  void update_withMatchingVersion_accepted_otherwise409() {
    shadows.update(LAMP, bytes("{'state':{'desired':{'a':1}}}"));

    assertThat(shadows.update(LAMP, bytes("{'state':{'desired':{'a':2}},'version':1}")).version())
        .isEqualTo(2);
    assertThatThrownBy(
            () ->
                shadows.update(
                    LAMP, bytes("{'state':{'desired':{'a':3}},'version':1,'clientToken':'x'}")))
        .isInstanceOfSatisfying(
            ShadowException.class,
            e -> {
              assertThat(e.code()).isEqualTo(409);
              assertThat(e.getMessage()).isEqualTo("Version conflict");
              assertThat(e.clientToken()).contains("x");
            });
  }

  @Test
  void delete_thenRecreate_continuesTheVersionSeries() {
    shadows.update(LAMP, bytes("{'state':{'desired':{'a':1}}}"));
    shadows.update(LAMP, bytes("{'state':{'desired':{'a':2}}}"));

    ObjectNode deleted = shadows.delete(LAMP, Optional.of("d"));

    assertThat(deleted.get("version").asLong()).isEqualTo(2);
    assertThat(deleted.get("clientToken").asText()).isEqualTo("d");
    assertThatThrownBy(() -> shadows.get(LAMP, Optional.empty()))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(404));
    assertThatThrownBy(() -> shadows.delete(LAMP, Optional.empty()))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(404));
    ShadowUpdate recreated = shadows.update(LAMP, bytes("{'state':{'reported':{'b':1}}}"));
    assertThat(recreated.version()).isEqualTo(3);
    assertThat(recreated.documents().has("previous")).isFalse();
    assertThat(reread(shadows.get(LAMP, Optional.empty()).get("state")))
        .isEqualTo(json("{'reported':{'b':1}}").deepCopy());
  }

  @Test
  void recreate_after48Hours_startsAtVersion1() {
    shadows.update(LAMP, bytes("{'state':{'desired':{'a':1}}}"));
    shadows.delete(LAMP, Optional.empty());
    clock.advance(Duration.ofHours(48));

    assertThat(shadows.update(LAMP, bytes("{'state':{'desired':{'a':1}}}")).version()).isEqualTo(1);
  }

  @Test
  void update_invalidRequests_400WithAwsMessages() {
    assertRejected("not json", 400, "Invalid JSON");
    assertRejected("", 400, "Invalid JSON");
    assertRejected("[1]", 400, "Invalid JSON");
    assertRejected("{'clientToken':'c'}", 400, "Missing required node: state");
    assertRejected("{'state':3}", 400, "State node must be an object");
    assertRejected("{'state':{'desired':1}}", 400, "Desired node must be an object");
    assertRejected("{'state':{'reported':[]}}", 400, "Reported node must be an object");
    assertRejected("{'state':{'other':{}}}", 400, "State contains an invalid node");
    assertRejected("{'state':{},'version':'1'}", 400, "Invalid version");
    assertRejected("{'state':{},'clientToken':5}", 400, "Invalid clientToken");
    assertRejected(
        "{'state':{},'clientToken':'" + "x".repeat(65) + "'}", 400, "Invalid clientToken");
    assertRejected(
        "{'state':{'desired':{'a':[1,null]}}}", 400, "Invalid JSON: arrays may not contain null");
  }

  @Test
  void update_depth_sixLevelsAccepted_sevenRejected() {
    // desired is level 1; the objects under a, b, c, d, e are levels 2 to 6
    String six = "{'state':{'desired':{'a':{'b':{'c':{'d':{'e':{'f':1}}}}}}}}";
    String seven = "{'state':{'desired':{'a':{'b':{'c':{'d':{'e':{'f':{'g':1}}}}}}}}}";

    assertThat(shadows.update(LAMP, bytes(six)).version()).isEqualTo(1);
    assertRejected(seven, 400, "JSON contains too many levels of nesting; maximum is 6");
  }

  @Test
  void update_stateOver8KB_413AndNothingStored() {
    String big = "x".repeat(8 * 1024);

    assertRejected(
        "{'state':{'reported':{'v':'" + big + "'}}}",
        413,
        "The payload exceeds the maximum size allowed");
    assertThat(store.find(LAMP)).isEmpty();
  }

  @Test
  void update_shadowNamesValidated() {
    assertThatThrownBy(() -> ShadowId.named("lamp", "bad/name"))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(400));
    assertThatThrownBy(() -> ShadowId.classic("x".repeat(129)))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(400));
  }

  @Test
  void listNamedShadows_excludesClassicAndDeleted_pagesWithToken() {
    shadows.update(LAMP, bytes("{'state':{}}"));
    for (String name : List.of("ota", "cfg", "zeta", "gone")) {
      shadows.update(ShadowId.named("lamp", name), bytes("{'state':{'reported':{'a':1}}}"));
    }
    shadows.update(ShadowId.named("other", "x"), bytes("{'state':{}}"));
    shadows.delete(ShadowId.named("lamp", "gone"), Optional.empty());

    NamedShadows first = shadows.listNamedShadows("lamp", Optional.empty(), Optional.of(2));
    NamedShadows second = shadows.listNamedShadows("lamp", first.nextToken(), Optional.of(2));

    assertThat(first.names()).containsExactly("cfg", "ota");
    assertThat(second.names()).containsExactly("zeta");
    assertThat(second.nextToken()).isEmpty();
    assertThat(shadows.listNamedShadows("nobody", Optional.empty(), Optional.empty()).names())
        .isEmpty();
  }

  @Test
  void update_concurrentWritersOnOneShadow_noLostUpdate() throws Exception {
    int writers = 8;
    int each = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        Callable<Void> work =
            () -> {
              for (int i = 1; i <= each; i++) {
                shadows.update(LAMP, bytes("{'state':{'reported':{'w" + writer + "':" + i + "}}}"));
              }
              return null;
            };
        done.add(pool.submit(work));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }

    ObjectNode got = shadows.get(LAMP, Optional.empty());
    assertThat(got.get("version").asLong()).isEqualTo((long) writers * each);
    for (int w = 0; w < writers; w++) {
      assertThat(got.at("/state/reported/w" + w).asInt()).isEqualTo(each);
    }
  }

  @Test
  void update_racingAnotherServer_retriesWithoutVersion_conflictsWithVersion() {
    // A store that lets another writer in once between our read and our write.
    ShadowStore racing =
        new ShadowStore() {
          boolean raced;

          @Override
          public Optional<ShadowRecord> find(ShadowId id) {
            return store.find(id);
          }

          @Override
          public boolean replace(Optional<ShadowRecord> expected, ShadowRecord next) {
            if (!raced) {
              raced = true;
              ShadowDocument other =
                  ShadowDocument.empty()
                      .apply(ShadowDocumentTest.request("{'state':{'reported':{'o':1}}}"), T0);
              store.replace(expected, new ShadowRecord(next.id(), 7, other.toStoredJson(), T0));
            }
            return store.replace(expected, next);
          }

          @Override
          public List<String> namedShadows(String t, Optional<String> a, int l) {
            return store.namedShadows(t, a, l);
          }
        };
    ShadowService service = new ShadowService(racing, clock, ShadowLimits.AWS.unthrottled());

    ShadowUpdate update = service.update(LAMP, bytes("{'state':{'reported':{'m':1}}}"));

    assertThat(update.version()).isEqualTo(8);
    assertThat(reread(service.get(LAMP, Optional.empty()).get("state")))
        .isEqualTo(json("{'reported':{'o':1,'m':1}}").deepCopy());
  }

  @Test
  void requests_overTwentyPerSecondForOneShadow_429_otherShadowsUnaffected() {
    ShadowService limited = new ShadowService(store, clock, ShadowLimits.AWS);
    for (int i = 0; i < 20; i++) {
      limited.update(LAMP, bytes("{'state':{'reported':{'i':" + i + "}}}"));
    }

    assertThatThrownBy(() -> limited.update(LAMP, bytes("{'state':{},'clientToken':'late'}")))
        .isInstanceOfSatisfying(
            ShadowException.class,
            e -> {
              assertThat(e.code()).isEqualTo(429);
              assertThat(e.errorType()).isEqualTo("ThrottlingException");
              assertThat(e.clientToken()).contains("late");
            });
    assertThatThrownBy(() -> limited.get(LAMP, Optional.empty()))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(429));
    assertThat(limited.update(ShadowId.named("lamp", "cfg"), bytes("{'state':{}}")).version())
        .isEqualTo(1);
    clock.advance(Duration.ofMillis(100));
    assertThat(limited.update(LAMP, bytes("{'state':{}}")).version())
        .as("two requests' worth refilled after 100 ms")
        .isEqualTo(21);
    assertThat(limited.update(LAMP, bytes("{'state':{}}")).version()).isEqualTo(22);
    assertThatThrownBy(() -> limited.update(LAMP, bytes("{'state':{}}")))
        .isInstanceOfSatisfying(ShadowException.class, e -> assertThat(e.code()).isEqualTo(429));
  }

  private void assertRejected(String payload, int code, String message) {
    assertThatThrownBy(() -> shadows.update(LAMP, bytes(payload)))
        .isInstanceOfSatisfying(
            ShadowException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  private static com.fasterxml.jackson.databind.JsonNode reread(
      com.fasterxml.jackson.databind.JsonNode node) {
    try {
      return ShadowDocumentTest.reread(node);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String singleQuoted) {
    return singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8);
  }

  /** Timestamps in expectations are written T; this swaps in the clock's start. */
  private static com.fasterxml.jackson.databind.JsonNode json(String singleQuoted)
      throws RuntimeException {
    try {
      return ShadowDocumentTest.json(singleQuoted.replace("'T'", "T").replace(":T", ":" + T0));
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
