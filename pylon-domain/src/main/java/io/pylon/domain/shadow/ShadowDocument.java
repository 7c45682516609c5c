package io.pylon.domain.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * A shadow's state ({@code desired}, {@code reported}) and the metadata that mirrors it, with AWS's
 * rules for applying an update and computing the delta. Immutable: {@link #apply} returns a new
 * document.
 *
 * <p>Rules (AWS IoT Device Shadow service): a section sent as {@code null} is deleted with its
 * metadata; otherwise the section is deep-merged key by key, where {@code null} deletes a key, an
 * object onto an object recurses, and anything else (scalar, array, object onto a non-object)
 * replaces the stored value. Arrays are values, never merged element by element. Every leaf a
 * request writes gets {@code {"timestamp": t}} metadata (arrays get one entry per element); other
 * leaves keep theirs. A section left empty is dropped.
 */
public final class ShadowDocument {

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Equal numbers are equal whatever their JSON spelling ({@code 1} and {@code 1.0}). */
  private static final Comparator<JsonNode> NUMERIC_AWARE =
      (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
      };

  private final ObjectNode desired;
  private final ObjectNode reported;
  private final ObjectNode desiredMetadata;
  private final ObjectNode reportedMetadata;

  private ShadowDocument(
      ObjectNode desired,
      ObjectNode reported,
      ObjectNode desiredMetadata,
      ObjectNode reportedMetadata) {
    this.desired = desired;
    this.reported = reported;
    this.desiredMetadata = desiredMetadata;
    this.reportedMetadata = reportedMetadata;
  }

  /** A shadow with no state yet. */
  public static ShadowDocument empty() {
    return new ShadowDocument(null, null, null, null);
  }

  /** Reads the form {@link #toStoredJson} wrote. */
  public static ShadowDocument fromStoredJson(String text) {
    ObjectNode root = ShadowJson.parseStored(text);
    JsonNode state = root.path("state");
    JsonNode metadata = root.path("metadata");
    return new ShadowDocument(
        objectOrNull(state.get("desired")),
        objectOrNull(state.get("reported")),
        objectOrNull(metadata.get("desired")),
        objectOrNull(metadata.get("reported")));
  }

  /** {@code {"state":{...},"metadata":{...}}}, compact. */
  public String toStoredJson() {
    ObjectNode root = ShadowJson.object();
    root.set("state", state(false));
    root.set("metadata", metadata());
    return ShadowJson.text(root);
  }

  public Optional<ObjectNode> desired() {
    return Optional.ofNullable(desired).map(ObjectNode::deepCopy);
  }

  public Optional<ObjectNode> reported() {
    return Optional.ofNullable(reported).map(ObjectNode::deepCopy);
  }

  /** This document with {@code request}'s state applied at {@code timestamp} (epoch seconds). */
  public ShadowDocument apply(ShadowUpdateRequest request, long timestamp) {
    Section d = applySection(desired, desiredMetadata, request.desired(), timestamp);
    Section r = applySection(reported, reportedMetadata, request.reported(), timestamp);
    return new ShadowDocument(d.state, r.state, d.metadata, r.metadata);
  }

  private record Section(ObjectNode state, ObjectNode metadata) {}

  private static Section applySection(
      ObjectNode state, ObjectNode metadata, Optional<JsonNode> change, long timestamp) {
    if (change.isEmpty()) {
      return new Section(state, metadata);
    }
    if (change.get().isNull()) {
      return new Section(null, null);
    }
    ObjectNode newState = state == null ? ShadowJson.object() : state.deepCopy();
    ObjectNode newMetadata = metadata == null ? ShadowJson.object() : metadata.deepCopy();
    merge(newState, newMetadata, (ObjectNode) change.get(), timestamp);
    if (newState.isEmpty()) {
      return new Section(null, null);
    }
    return new Section(newState, newMetadata);
  }

  private static void merge(ObjectNode state, ObjectNode metadata, ObjectNode change, long ts) {
    for (Iterator<Map.Entry<String, JsonNode>> it = change.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      JsonNode value = e.getValue();
      JsonNode current = state.get(key);
      if (value.isNull()) {
        state.remove(key);
        metadata.remove(key);
      } else if (value.isObject() && current != null && current.isObject()) {
        JsonNode currentMetadata = metadata.get(key);
        ObjectNode childMetadata =
            currentMetadata != null && currentMetadata.isObject()
                ? (ObjectNode) currentMetadata
                : metadata.putObject(key);
        merge((ObjectNode) current, childMetadata, (ObjectNode) value, ts);
      } else if (value.isObject()) {
        ObjectNode child = ShadowJson.object();
        ObjectNode childMetadata = ShadowJson.object();
        merge(child, childMetadata, (ObjectNode) value, ts);
        // An object of nulls deletes nothing and adds nothing; a literal {} is a value.
        if (!child.isEmpty() || value.isEmpty()) {
          state.set(key, child);
          metadata.set(key, childMetadata);
        }
      } else {
        state.set(key, value.deepCopy());
        metadata.set(key, leafMetadata(value, ts));
      }
    }
  }

  /** Metadata for a written value: a timestamp per leaf, one entry per array element. */
  static JsonNode leafMetadata(JsonNode value, long ts) {
    if (value.isArray()) {
      ArrayNode entries = JSON.arrayNode();
      value.forEach(element -> entries.add(leafMetadata(element, ts)));
      return entries;
    }
    if (value.isObject()) {
      ObjectNode entries = ShadowJson.object();
      value.fields().forEachRemaining(e -> entries.set(e.getKey(), leafMetadata(e.getValue(), ts)));
      return entries;
    }
    ObjectNode leaf = ShadowJson.object();
    leaf.put("timestamp", ts);
    return leaf;
  }

  /**
   * Metadata for the state of a request as sent (the {@code /update/accepted} answer): every leaf
   * the request names, including the {@code null}s that deleted something, gets the timestamp.
   */
  static ObjectNode requestMetadata(ShadowUpdateRequest request, long ts) {
    ObjectNode metadata = ShadowJson.object();
    request.desired().ifPresent(d -> metadata.set("desired", leafMetadata(d, ts)));
    request.reported().ifPresent(r -> metadata.set("reported", leafMetadata(r, ts)));
    if (request.state().isNull()) {
      return ShadowJson.object();
    }
    return metadata;
  }

  /** The differences between desired and reported, empty when there are none. */
  public Optional<ObjectNode> delta() {
    if (desired == null) {
      return Optional.empty();
    }
    ObjectNode delta = delta(desired, reported);
    return delta.isEmpty() ? Optional.empty() : Optional.of(delta);
  }

  private static ObjectNode delta(ObjectNode desired, ObjectNode reported) {
    ObjectNode delta = ShadowJson.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode want = e.getValue();
      JsonNode have = reported == null ? null : reported.get(e.getKey());
      if (have == null) {
        delta.set(e.getKey(), want.deepCopy());
      } else if (want.isObject() && have.isObject()) {
        ObjectNode nested = delta((ObjectNode) want, (ObjectNode) have);
        if (!nested.isEmpty()) {
          delta.set(e.getKey(), nested);
        }
      } else if (!want.equals(NUMERIC_AWARE, have)) {
        delta.set(e.getKey(), want.deepCopy());
      }
    }
    return delta;
  }

  /** The desired metadata at the paths of {@code delta}. */
  public ObjectNode deltaMetadata(ObjectNode delta) {
    return metadataAt(delta, desiredMetadata == null ? ShadowJson.object() : desiredMetadata);
  }

  private static ObjectNode metadataAt(ObjectNode delta, ObjectNode metadata) {
    ObjectNode result = ShadowJson.object();
    for (Iterator<Map.Entry<String, JsonNode>> it = delta.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode entry = metadata.get(e.getKey());
      if (entry == null) {
        continue;
      }
      // Metadata mirrors the state, so an object in the delta has an object of metadata; a
      // nested delta holds only the differing keys and the metadata follows it down.
      boolean recurse = e.getValue().isObject() && entry.isObject();
      result.set(
          e.getKey(),
          recurse ? metadataAt((ObjectNode) e.getValue(), (ObjectNode) entry) : entry.deepCopy());
    }
    return result;
  }

  /** {@code {"desired":..,"reported":..}} (absent sections left out), optionally with delta. */
  public ObjectNode state(boolean withDelta) {
    ObjectNode state = ShadowJson.object();
    if (desired != null) {
      state.set("desired", desired.deepCopy());
    }
    if (reported != null) {
      state.set("reported", reported.deepCopy());
    }
    if (withDelta) {
      delta().ifPresent(d -> state.set("delta", d));
    }
    return state;
  }

  /** {@code {"desired":..,"reported":..}} metadata. */
  public ObjectNode metadata() {
    ObjectNode metadata = ShadowJson.object();
    if (desiredMetadata != null) {
      metadata.set("desired", desiredMetadata.deepCopy());
    }
    if (reportedMetadata != null) {
      metadata.set("reported", reportedMetadata.deepCopy());
    }
    return metadata;
  }

  /** Bytes of {@code desired} plus {@code reported} as compact JSON: what AWS's 8 KB counts. */
  public int stateBytes() {
    int bytes = 0;
    if (desired != null) {
      bytes += ShadowJson.bytes(desired).length;
    }
    if (reported != null) {
      bytes += ShadowJson.bytes(reported).length;
    }
    return bytes;
  }

  private static ObjectNode objectOrNull(JsonNode node) {
    return node != null && node.isObject() ? (ObjectNode) node : null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShadowDocument other && toStoredJson().equals(other.toStoredJson());
  }

  @Override
  public int hashCode() {
    return toStoredJson().hashCode();
  }

  @Override
  public String toString() {
    return toStoredJson();
  }
}
