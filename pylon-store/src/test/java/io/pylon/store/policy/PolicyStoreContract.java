package io.pylon.store.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.policy.Policy;
import io.pylon.domain.policy.PolicyStore;
import io.pylon.domain.policy.PolicyStore.AttachResult;
import io.pylon.domain.policy.PolicyStore.DeleteResult;
import io.pylon.domain.policy.PolicyTarget;
import io.pylon.domain.policy.PolicyVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link PolicyStore} must do. A subclass supplies {@link #open()} (and {@link
 * #close()}); the suite runs against the in-memory store and against each JDBC engine.
 *
 * <p>Names and ARNs here are lower case letters, digits and one kind of separator, so that their
 * order is the same in every engine's collation.
 */
public abstract class PolicyStoreContract {

  private static final AwsAccount ACCOUNT = new AwsAccount("123456789012", "us-east-1");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123Z");
  private static final String DOC = "{\"Version\":\"2012-10-17\",\"Statement\":[]}";

  private PolicyStore store;

  /** A store on empty storage for this test. */
  protected abstract PolicyStore open();

  /** Releases what {@link #open()} took. */
  protected void close() {}

  @BeforeEach
  void openStore() {
    store = open();
  }

  @AfterEach
  void closeStore() {
    close();
  }

  private static Policy policy(String name, Instant created) {
    return new Policy(name, "1", DOC, created, created, "gen-" + name + "-1", 1);
  }

  private Policy create(String name, Instant created) {
    Policy policy = policy(name, created);
    assertThat(store.create(policy, new PolicyVersion(name, "1", DOC, created))).isTrue();
    return policy;
  }

  private static PolicyTarget cert(String id) {
    return new PolicyTarget(PolicyTarget.Kind.CERTIFICATE, ACCOUNT.arn("cert", id), id);
  }

  private static PolicyTarget group(String name) {
    return new PolicyTarget(PolicyTarget.Kind.THING_GROUP, ACCOUNT.arn("thinggroup", name), name);
  }

  /** The policy at its next version, as the service would write it. */
  private static Policy next(Policy p, String defaultVersion, String document, int last) {
    return new Policy(
        p.name(),
        defaultVersion,
        document,
        p.creationDate(),
        p.lastModifiedDate().plusSeconds(1),
        p.generationId() + "+",
        last);
  }

  @Test
  void create_thenFind_returnsThePolicyWithItsDefaultDocument() {
    Policy created = create("p1", T0);

    assertThat(store.find("p1")).contains(created);
    assertThat(store.versions("p1")).containsExactly(new PolicyVersion("p1", "1", DOC, T0));
    assertThat(store.version("p1", "1")).contains(new PolicyVersion("p1", "1", DOC, T0));
  }

  @Test
  void create_takenName_isFalseAndKeepsTheFirst() {
    Policy first = create("p1", T0);
    Policy second = new Policy("p1", "1", "{}", T0.plusSeconds(9), T0, "other", 1);

    assertThat(store.create(second, new PolicyVersion("p1", "1", "{}", T0))).isFalse();
    assertThat(store.find("p1")).contains(first);
    assertThat(store.versions("p1")).extracting(PolicyVersion::document).containsExactly(DOC);
  }

  @Test
  void find_unknown_isEmpty() {
    assertThat(store.find("nope")).isEmpty();
    assertThat(store.versions("nope")).isEmpty();
    assertThat(store.version("nope", "1")).isEmpty();
  }

  @Test
  void create_largestDocumentTheModelAllows_roundTrips() {
    String big = "{\"a\":\"" + "x".repeat(404_600 - 8) + "\"}";
    Policy policy = new Policy("big", "1", big, T0, T0, "g", 1);

    store.create(policy, new PolicyVersion("big", "1", big, T0));

    assertThat(store.find("big").orElseThrow().document()).isEqualTo(big);
  }

  @Test
  void update_currentGeneration_addsVersionAndMovesDefault() {
    Policy p = create("p1", T0);
    Policy updated = next(p, "2", "{\"v\":2}", 2);
    PolicyVersion v2 = new PolicyVersion("p1", "2", "{\"v\":2}", T0.plusSeconds(1));

    assertThat(store.update(p.generationId(), updated, Optional.of(v2), Optional.empty())).isTrue();

    assertThat(store.find("p1")).contains(updated);
    assertThat(store.versions("p1")).extracting(PolicyVersion::versionId).containsExactly("1", "2");
  }

  @Test
  void update_staleGeneration_isFalseAndChangesNothing() {
    Policy p = create("p1", T0);
    PolicyVersion v2 = new PolicyVersion("p1", "2", "{}", T0);

    assertThat(store.update("stale", next(p, "2", "{}", 2), Optional.of(v2), Optional.of("1")))
        .isFalse();
    assertThat(
            store.update(
                "x", next(policy("ghost", T0), "1", DOC, 1), Optional.empty(), Optional.empty()))
        .isFalse();

    assertThat(store.find("p1")).contains(p);
    assertThat(store.versions("p1")).extracting(PolicyVersion::versionId).containsExactly("1");
  }

  @Test
  void update_removingVersion_deletesIt() {
    Policy p = create("p1", T0);
    Policy p2 = next(p, "1", DOC, 2);
    store.update(
        p.generationId(),
        p2,
        Optional.of(new PolicyVersion("p1", "2", "{}", T0)),
        Optional.empty());

    assertThat(
            store.update(
                p2.generationId(), next(p2, "1", DOC, 2), Optional.empty(), Optional.of("2")))
        .isTrue();

    assertThat(store.versions("p1")).extracting(PolicyVersion::versionId).containsExactly("1");
    assertThat(store.version("p1", "2")).isEmpty();
  }

  @Test
  void versions_areInNumericOrder() {
    Policy p = create("p1", T0);
    Policy current = p;
    for (int n : List.of(2, 10, 9)) {
      Policy updated = next(current, "1", DOC, n);
      store.update(
          current.generationId(),
          updated,
          Optional.of(new PolicyVersion("p1", Integer.toString(n), "{}", T0)),
          Optional.empty());
      current = updated;
    }

    assertThat(store.versions("p1"))
        .extracting(PolicyVersion::versionId)
        .containsExactly("1", "2", "9", "10");
  }

  @Test
  void version_idThatIsNotAStoredNumber_isEmpty() {
    create("p1", T0);

    assertThat(store.version("p1", "2")).isEmpty();
    assertThat(store.version("p1", "99999999999999999999")).isEmpty();
  }

  @Test
  void update_concurrentWithSameGeneration_exactlyOneWins() throws Exception {
    Policy p = create("p1", T0);
    int writers = 4;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        int n = i;
        Callable<Boolean> write =
            () -> {
              start.await();
              Policy updated = new Policy("p1", "1", DOC, T0, T0, "writer-" + n, 2);
              return store.update(
                  p.generationId(),
                  updated,
                  Optional.of(new PolicyVersion("p1", "2", "{\"w\":" + n + "}", T0)),
                  Optional.empty());
            };
        results.add(pool.submit(write));
      }
      start.countDown();
      int wins = 0;
      for (Future<Boolean> result : results) {
        wins += result.get() ? 1 : 0;
      }

      assertThat(wins).isEqualTo(1);
      assertThat(store.versions("p1")).hasSize(2);
      assertThat(store.find("p1").orElseThrow().generationId()).startsWith("writer-");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void delete_currentAndUnattached_removesPolicyAndVersions() {
    Policy p = create("p1", T0);

    assertThat(store.delete("p1", p.generationId())).isEqualTo(DeleteResult.DELETED);

    assertThat(store.find("p1")).isEmpty();
    assertThat(store.versions("p1")).isEmpty();
    assertThat(store.delete("p1", p.generationId())).isEqualTo(DeleteResult.NOT_FOUND);
    // the name is free again
    create("p1", T0);
  }

  @Test
  void delete_staleGenerationOrAttached_isRefused() {
    Policy p = create("p1", T0);
    store.attach("p1", cert("c1"), 10, T0);

    assertThat(store.delete("p1", "stale")).isEqualTo(DeleteResult.CHANGED);
    assertThat(store.delete("p1", p.generationId())).isEqualTo(DeleteResult.ATTACHED);
    assertThat(store.find("p1")).isPresent();

    store.detach("p1", cert("c1").arn());
    assertThat(store.delete("p1", p.generationId())).isEqualTo(DeleteResult.DELETED);
  }

  @Test
  void attach_outcomes() {
    create("p1", T0);
    create("p2", T0);
    create("p3", T0);

    assertThat(store.attach("p1", cert("c1"), 2, T0)).isEqualTo(AttachResult.ATTACHED);
    assertThat(store.attach("p1", cert("c1"), 2, T0)).isEqualTo(AttachResult.ALREADY_ATTACHED);
    assertThat(store.attach("nope", cert("c1"), 2, T0)).isEqualTo(AttachResult.NOT_FOUND);
    assertThat(store.attach("p2", cert("c1"), 2, T0)).isEqualTo(AttachResult.ATTACHED);
    assertThat(store.attach("p3", cert("c1"), 2, T0)).isEqualTo(AttachResult.LIMIT_REACHED);
    assertThat(store.attach("p3", cert("c2"), 2, T0)).isEqualTo(AttachResult.ATTACHED);

    assertThat(store.attachedTo(cert("c1").arn())).containsExactly("p1", "p2");
    assertThat(store.attachedTo(cert("c2").arn())).containsExactly("p3");
    assertThat(store.attachedTo(cert("c3").arn())).isEmpty();
  }

  @Test
  void attachedTo_isInNameOrder() {
    for (String name : List.of("b", "c", "a")) {
      create(name, T0);
      store.attach(name, group("g1"), 10, T0);
    }

    assertThat(store.attachedTo(group("g1").arn())).containsExactly("a", "b", "c");
  }

  @Test
  void detach_andDetachAll() {
    create("p1", T0);
    create("p2", T0);
    store.attach("p1", cert("c1"), 10, T0);
    store.attach("p2", cert("c1"), 10, T0);
    store.attach("p1", cert("c2"), 10, T0);

    assertThat(store.detach("p1", cert("c1").arn())).isTrue();
    assertThat(store.detach("p1", cert("c1").arn())).isFalse();
    assertThat(store.detach("nope", cert("c1").arn())).isFalse();
    assertThat(store.attachedTo(cert("c1").arn())).containsExactly("p2");

    store.attach("p1", cert("c1"), 10, T0);
    assertThat(store.detachAll(cert("c1").arn())).containsExactly("p1", "p2");
    assertThat(store.detachAll(cert("c1").arn())).isEmpty();
    assertThat(store.attachedTo(cert("c2").arn())).containsExactly("p1");
  }

  @Test
  void targetsOf_pagesByArnInBothDirectionsAndFiltersByKind() {
    create("p1", T0);
    List<PolicyTarget> targets = List.of(cert("c3"), cert("c1"), group("g1"), cert("c2"));
    for (PolicyTarget target : targets) {
      store.attach("p1", target, 10, T0);
    }
    String c1 = cert("c1").arn();
    String c2 = cert("c2").arn();
    String c3 = cert("c3").arn();
    String g1 = group("g1").arn();

    Page<String> first = store.targetsOf("p1", Optional.empty(), PageRequest.first(2), true);
    assertThat(first.items()).containsExactly(c1, c2);
    Page<String> second =
        store.targetsOf("p1", Optional.empty(), new PageRequest(2, first.nextToken()), true);
    assertThat(second.items()).containsExactly(c3, g1);
    assertThat(second.nextToken()).isEmpty();

    Page<String> down = store.targetsOf("p1", Optional.empty(), PageRequest.first(3), false);
    assertThat(down.items()).containsExactly(g1, c3, c2);
    assertThat(
            store
                .targetsOf("p1", Optional.empty(), new PageRequest(3, down.nextToken()), false)
                .items())
        .containsExactly(c1);

    assertThat(
            store
                .targetsOf(
                    "p1", Optional.of(PolicyTarget.Kind.THING_GROUP), PageRequest.first(10), true)
                .items())
        .containsExactly(g1);
    assertThat(
            store
                .targetsOf(
                    "p1", Optional.of(PolicyTarget.Kind.CERTIFICATE), PageRequest.first(10), true)
                .items())
        .containsExactly(c1, c2, c3);
    assertThat(store.targetsOf("p2", Optional.empty(), PageRequest.first(10), true).items())
        .isEmpty();
  }

  @Test
  void list_pagesByCreationThenNameInBothDirections() {
    create("b", T0);
    create("a", T0);
    create("c", T0.plusMillis(1));
    create("d", T0.minusSeconds(1));

    List<String> ascending = new ArrayList<>();
    Page<Policy> page = store.list(PageRequest.first(1), true);
    ascending.addAll(page.items().stream().map(Policy::name).toList());
    while (page.nextToken().isPresent()) {
      page = store.list(new PageRequest(1, page.nextToken()), true);
      ascending.addAll(page.items().stream().map(Policy::name).toList());
    }
    assertThat(ascending).containsExactly("d", "a", "b", "c");

    Page<Policy> down = store.list(PageRequest.first(3), false);
    assertThat(down.items()).extracting(Policy::name).containsExactly("c", "b", "a");
    assertThat(store.list(new PageRequest(3, down.nextToken()), false).items())
        .extracting(Policy::name)
        .containsExactly("d");
    assertThat(store.list(PageRequest.first(10), true).items().get(0).document()).isEqualTo(DOC);
  }

  @Test
  void list_empty_isOneEmptyPage() {
    Page<Policy> page = store.list(PageRequest.first(10), false);

    assertThat(page.items()).isEmpty();
    assertThat(page.nextToken()).isEmpty();
  }

  @Test
  void markersNotMadeByTheStore_areInvalidRequests() {
    create("p1", T0);

    assertThatThrownBy(() -> store.list(new PageRequest(1, Optional.of("!!not-base64")), true))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> store.list(new PageRequest(1, Optional.of("QUJD")), true))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () ->
                store.targetsOf(
                    "p1", Optional.empty(), new PageRequest(1, Optional.of("!!")), true))
        .isInstanceOf(InvalidRequestException.class);
  }
}
