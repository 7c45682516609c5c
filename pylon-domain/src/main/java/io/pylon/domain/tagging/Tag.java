package io.pylon.domain.tagging;

import java.util.Objects;

/**
 * A tag on a resource.
 *
 * @param key 1..128 characters, unique on the resource
 * @param value 0..256 characters; empty when the client sent none
 */
public record Tag(String key, String value) {

  public Tag {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
