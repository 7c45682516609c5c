package io.pylon.domain.shadow;

/**
 * A shadow as stored: its current version, its document (state and metadata, JSON text), or no
 * document when it was deleted; the row is kept so that a shadow re-created soon continues the
 * version series, as AWS does for 48 hours.
 *
 * @param id which shadow
 * @param version the version of the last accepted update (kept through a delete)
 * @param document {@code {"state":{...},"metadata":{...}}} as JSON text, null when deleted
 * @param modifiedAtSeconds epoch seconds of the last update or of the delete
 */
public record ShadowRecord(ShadowId id, long version, String document, long modifiedAtSeconds) {

  public boolean isDeleted() {
    return document == null;
  }
}
