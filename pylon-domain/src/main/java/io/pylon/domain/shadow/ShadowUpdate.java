package io.pylon.domain.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * An accepted update and the answers it causes, for the adapters to publish: {@code
 * P/update/accepted} (or the REST body), {@code P/update/delta} when desired and reported differ,
 * and {@code P/update/documents}.
 *
 * @param id the shadow
 * @param accepted the request's state as sent, its metadata, version, timestamp, clientToken
 * @param delta the delta message, when there is a delta
 * @param documents previous and current documents
 * @param version the new version
 */
public record ShadowUpdate(
    ShadowId id,
    ObjectNode accepted,
    Optional<ObjectNode> delta,
    ObjectNode documents,
    long version) {}
