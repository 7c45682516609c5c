package io.pylon.domain.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * GetThingShadow, UpdateThingShadow, DeleteThingShadow and ListNamedShadowsForThing, over MQTT and
 * REST alike. Answers are JSON documents shaped as AWS publishes them; failures are {@link
 * ShadowException}s.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li><b>Concurrency.</b> An update reads the stored shadow, computes the next document and
 *       writes it only if the store still holds what was read ({@link ShadowStore#replace}). Losing
 *       that race means someone else's update landed first: a request without {@code version} is
 *       recomputed on top of it, one with {@code version} now conflicts (409). Updates of one
 *       shadow inside this process also queue on a lock, so that the race is only lost to other
 *       servers sharing the database, not to every concurrent device.
 *   <li><b>Versions.</b> Every accepted update adds one. Deleting keeps the row with its version,
 *       so a shadow re-created within {@link #VERSION_MEMORY_SECONDS} continues the series, as AWS
 *       does; later it starts again at 1.
 *   <li><b>Quota.</b> Each shadow takes {@link ShadowLimits#requestsPerSecond} get, update and
 *       delete requests a second (AWS: 20), in bursts of as many; more are refused with 429.
 *   <li><b>In flight.</b> A thing has at most {@link ShadowLimits#inFlightPerThing} requests (AWS:
 *       10) accepted and not yet answered; more are refused with 429 before they wait for anything.
 *       The methods taking a {@link ShadowId} count themselves; a caller that queues requests
 *       before serving them (MQTT) {@link #admit}s each on arrival, so that the wait in its queue
 *       counts too, and passes the {@link InFlightRequest} to the overloads.
 *   <li><b>Threads.</b> Blocks on storage; callers run it off network event loops.
 * </ul>
 */
public final class ShadowService {

  /** How long a deleted shadow's version is remembered: 48 hours. */
  public static final long VERSION_MEMORY_SECONDS = 48 * 3600;

  /** AWS's largest ListNamedShadowsForThing page. */
  public static final int MAX_PAGE_SIZE = 100;

  /** Attempts of one update against other servers' writes before giving up with a 500. */
  static final int MAX_ATTEMPTS = 100;

  private static final int LOCK_STRIPES = 64;

  private final ShadowStore store;
  private final Clock clock;
  private final ShadowLimits limits;
  private final ShadowRequestRate rate;
  private final ShadowInFlight inFlight;
  private final Object[] locks = new Object[LOCK_STRIPES];

  public ShadowService(ShadowStore store, Clock clock, ShadowLimits limits) {
    this.store = store;
    this.clock = clock;
    this.limits = limits;
    this.rate = new ShadowRequestRate(limits.requestsPerSecond(), clock);
    this.inFlight = new ShadowInFlight(limits.inFlightPerThing());
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  public ShadowService(ShadowStore store, Clock clock) {
    this(store, clock, ShadowLimits.AWS);
  }

  /**
   * The client token of a get or delete request payload (empty, or {@code {"clientToken":..}});
   * other members are ignored.
   */
  public static Optional<String> clientTokenOf(byte[] payload) {
    if (payload.length == 0) {
      return Optional.empty();
    }
    JsonNode token = ShadowJson.parseObject(payload).get("clientToken");
    return token != null && token.isTextual() ? Optional.of(token.textValue()) : Optional.empty();
  }

  /**
   * Counts a request of {@code id}'s thing as in flight until the returned request is closed, or
   * refuses it with 429 when the thing already has {@link ShadowLimits#inFlightPerThing}.
   */
  public InFlightRequest admit(ShadowId id) {
    return inFlight.admit(id);
  }

  /** The whole document with its delta, as {@code P/get/accepted} carries it. */
  public ObjectNode get(ShadowId id, Optional<String> clientToken) {
    try (InFlightRequest request = admit(id, clientToken)) {
      return get(request, clientToken);
    }
  }

  /** {@link #get(ShadowId, Optional)} of a request admitted earlier. */
  public ObjectNode get(InFlightRequest request, Optional<String> clientToken) {
    ShadowId id = request.id();
    throttle(id, clientToken);
    ShadowRecord stored = existing(id, clientToken);
    ShadowDocument document = ShadowDocument.fromStoredJson(stored.document());
    ObjectNode answer = ShadowJson.object();
    answer.set("state", document.state(true));
    // Metadata of desired and reported only: the delta's would repeat desired's.
    answer.set("metadata", document.metadata());
    answer.put("version", stored.version());
    answer.put("timestamp", now());
    clientToken.ifPresent(t -> answer.put("clientToken", t));
    return answer;
  }

  /** Applies an update request state document. */
  public ShadowUpdate update(ShadowId id, byte[] payload) {
    InFlightRequest admitted;
    try {
      admitted = admit(id);
    } catch (ShadowException e) {
      throw e.withClientToken(safeClientToken(payload));
    }
    try (admitted) {
      return update(admitted, payload);
    }
  }

  /** {@link #update(ShadowId, byte[])} of a request admitted earlier. */
  public ShadowUpdate update(InFlightRequest admitted, byte[] payload) {
    ShadowId id = admitted.id();
    ShadowUpdateRequest request = ShadowUpdateRequest.parse(payload, limits);
    throttle(id, request.clientToken());
    try {
      synchronized (lockOf(id)) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
          Optional<ShadowUpdate> done = tryUpdate(id, request);
          if (done.isPresent()) {
            return done.get();
          }
        }
      }
    } catch (ShadowException e) {
      throw e.withClientToken(request.clientToken());
    }
    throw new ShadowException(
        ShadowException.INTERNAL, "Internal service failure", request.clientToken());
  }

  private Optional<ShadowUpdate> tryUpdate(ShadowId id, ShadowUpdateRequest request) {
    Optional<ShadowRecord> stored = store.find(id);
    long now = now();
    boolean live = stored.isPresent() && !stored.get().isDeleted();
    long storedVersion = stored.map(ShadowRecord::version).orElse(0L);
    if (request.version().isPresent() && request.version().getAsLong() != storedVersion) {
      throw new ShadowException(ShadowException.CONFLICT, "Version conflict");
    }
    long version;
    if (live) {
      version = storedVersion + 1;
    } else if (stored.isPresent()
        && now - stored.get().modifiedAtSeconds() < VERSION_MEMORY_SECONDS) {
      version = storedVersion + 1;
    } else {
      version = 1;
    }
    ShadowDocument previous =
        live ? ShadowDocument.fromStoredJson(stored.get().document()) : ShadowDocument.empty();
    ShadowDocument current = previous.apply(request, now);
    if (current.stateBytes() > limits.maxStateBytes()) {
      throw new ShadowException(
          ShadowException.TOO_LARGE, "The payload exceeds the maximum size allowed");
    }
    if (!store.replace(stored, new ShadowRecord(id, version, current.toStoredJson(), now))) {
      return Optional.empty();
    }
    return Optional.of(
        answers(id, request, live ? previous : null, storedVersion, current, version, now));
  }

  private static ShadowUpdate answers(
      ShadowId id,
      ShadowUpdateRequest request,
      ShadowDocument previous,
      long previousVersion,
      ShadowDocument current,
      long version,
      long now) {
    ObjectNode accepted = ShadowJson.object();
    accepted.set("state", request.state().deepCopy());
    accepted.set("metadata", ShadowDocument.requestMetadata(request, now));
    accepted.put("version", version);
    accepted.put("timestamp", now);
    request.clientToken().ifPresent(t -> accepted.put("clientToken", t));

    Optional<ObjectNode> delta =
        current
            .delta()
            .map(
                d -> {
                  ObjectNode message = ShadowJson.object();
                  message.put("version", version);
                  message.put("timestamp", now);
                  message.set("state", d);
                  message.set("metadata", current.deltaMetadata(d));
                  request.clientToken().ifPresent(t -> message.put("clientToken", t));
                  return message;
                });

    ObjectNode documents = ShadowJson.object();
    if (previous != null) {
      documents.set("previous", snapshot(previous, previousVersion));
    }
    documents.set("current", snapshot(current, version));
    documents.put("timestamp", now);
    request.clientToken().ifPresent(t -> documents.put("clientToken", t));
    return new ShadowUpdate(id, accepted, delta, documents, version);
  }

  private static ObjectNode snapshot(ShadowDocument document, long version) {
    ObjectNode snapshot = ShadowJson.object();
    snapshot.set("state", document.state(false));
    snapshot.set("metadata", document.metadata());
    snapshot.put("version", version);
    return snapshot;
  }

  /** Deletes a shadow; the answer is {@code {"version":..,"timestamp":..[,"clientToken"]}}. */
  public ObjectNode delete(ShadowId id, Optional<String> clientToken) {
    try (InFlightRequest request = admit(id, clientToken)) {
      return delete(request, clientToken);
    }
  }

  /** {@link #delete(ShadowId, Optional)} of a request admitted earlier. */
  public ObjectNode delete(InFlightRequest request, Optional<String> clientToken) {
    ShadowId id = request.id();
    throttle(id, clientToken);
    synchronized (lockOf(id)) {
      for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        ShadowRecord stored = existing(id, clientToken);
        long now = now();
        if (store.replace(Optional.of(stored), new ShadowRecord(id, stored.version(), null, now))) {
          ObjectNode answer = ShadowJson.object();
          answer.put("version", stored.version());
          answer.put("timestamp", now);
          clientToken.ifPresent(t -> answer.put("clientToken", t));
          return answer;
        }
      }
    }
    throw new ShadowException(ShadowException.INTERNAL, "Internal service failure", clientToken);
  }

  /** The thing's named shadows; an unknown thing has none. */
  public NamedShadows listNamedShadows(
      String thingName, Optional<String> nextToken, Optional<Integer> pageSize) {
    ShadowId.classic(thingName);
    int size = pageSize.orElse(MAX_PAGE_SIZE);
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new ShadowException(
          ShadowException.BAD_REQUEST, "pageSize must be between 1 and " + MAX_PAGE_SIZE);
    }
    Optional<String> after = nextToken.filter(t -> !t.isEmpty()).map(ShadowService::decodeToken);
    List<String> names = store.namedShadows(thingName, after, size + 1);
    Optional<String> next = Optional.empty();
    if (names.size() > size) {
      names = names.subList(0, size);
      next = Optional.of(encodeToken(names.get(size - 1)));
    }
    return new NamedShadows(names, next, now());
  }

  /**
   * The client token of a request payload if it is a JSON object that has one, else empty: a
   * refusal decided before parsing (in-flight quota) still echoes the token when it can.
   */
  public static Optional<String> safeClientToken(byte[] payload) {
    try {
      return clientTokenOf(payload);
    } catch (ShadowException e) {
      return Optional.empty();
    }
  }

  private InFlightRequest admit(ShadowId id, Optional<String> clientToken) {
    try {
      return admit(id);
    } catch (ShadowException e) {
      throw e.withClientToken(clientToken);
    }
  }

  /** Requests of {@code thingName} in flight now. */
  int inFlight(String thingName) {
    return inFlight.count(thingName);
  }

  private void throttle(ShadowId id, Optional<String> clientToken) {
    try {
      rate.take(id);
    } catch (ShadowException e) {
      throw e.withClientToken(clientToken);
    }
  }

  private ShadowRecord existing(ShadowId id, Optional<String> clientToken) {
    return store
        .find(id)
        .filter(r -> !r.isDeleted())
        .orElseThrow(
            () ->
                new ShadowException(
                    ShadowException.NOT_FOUND,
                    "No shadow exists with name: '" + id.displayName() + "'",
                    clientToken));
  }

  private static String encodeToken(String lastName) {
    return Base64.getEncoder().encodeToString(lastName.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ShadowException(ShadowException.BAD_REQUEST, "Invalid nextToken");
    }
  }

  private Object lockOf(ShadowId id) {
    return locks[Math.floorMod(id.hashCode(), LOCK_STRIPES)];
  }

  private long now() {
    return clock.millis() / 1000;
  }
}
