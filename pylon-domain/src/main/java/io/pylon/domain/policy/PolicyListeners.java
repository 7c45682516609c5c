package io.pylon.domain.policy;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans policy changes out to listeners added at any time, so that the service can be built before
 * the broker that listens to it.
 */
public final class PolicyListeners implements PolicyListener {

  private static final Logger log = LoggerFactory.getLogger(PolicyListeners.class);

  private final List<PolicyListener> listeners = new CopyOnWriteArrayList<>();

  public void add(PolicyListener listener) {
    listeners.add(listener);
  }

  public void remove(PolicyListener listener) {
    listeners.remove(listener);
  }

  @Override
  public void policyChanged(String policyName) {
    each(l -> l.policyChanged(policyName));
  }

  @Override
  public void attachmentsChanged(String target) {
    each(l -> l.attachmentsChanged(target));
  }

  private void each(Consumer<PolicyListener> call) {
    for (PolicyListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        // The change is committed; one failing listener must not hide it from the others.
        log.warn("policy listener {} failed", l, e);
      }
    }
  }
}
