package io.pylon.domain.rules;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans rule changes out to listeners added at any time, so that the service can be built before the
 * runtime that listens to it.
 */
public final class TopicRuleListeners implements TopicRuleListener {

  private static final Logger log = LoggerFactory.getLogger(TopicRuleListeners.class);

  private final List<TopicRuleListener> listeners = new CopyOnWriteArrayList<>();

  public void add(TopicRuleListener listener) {
    listeners.add(listener);
  }

  public void remove(TopicRuleListener listener) {
    listeners.remove(listener);
  }

  @Override
  public void onRuleSaved(TopicRule rule) {
    each(l -> l.onRuleSaved(rule));
  }

  @Override
  public void onRuleDeleted(String ruleName) {
    each(l -> l.onRuleDeleted(ruleName));
  }

  private void each(Consumer<TopicRuleListener> call) {
    for (TopicRuleListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        // The change is committed; one failing listener must not hide it from the others.
        log.warn("topic rule listener {} failed", l, e);
      }
    }
  }
}
