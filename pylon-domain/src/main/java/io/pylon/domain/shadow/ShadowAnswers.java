package io.pylon.domain.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where the answers of accepted shadow changes go besides the caller: the MQTT topics of the
 * shadow, whichever protocol the change came by (AWS publishes a REST update's {@code accepted},
 * {@code delta} and {@code documents} messages as it does an MQTT one's).
 */
public interface ShadowAnswers {

  /** Publishes nothing: for tests and servers without a broker. */
  ShadowAnswers NONE =
      new ShadowAnswers() {
        @Override
        public void updated(ShadowUpdate update) {}

        @Override
        public void deleted(ShadowId id, ObjectNode answer) {}
      };

  /**
   * An update was accepted: {@code /update/delta} (if any), {@code /documents}, {@code /accepted}.
   */
  void updated(ShadowUpdate update);

  /** A shadow was deleted: {@code /delete/accepted}. */
  void deleted(ShadowId id, ObjectNode answer);
}
