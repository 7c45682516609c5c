package io.pylon.server.authorization;

import io.pylon.domain.policy.PolicyListener;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policies of every live device connection, and their refresh when something they depend on
 * changes: a policy's default version, an attachment, a thing's groups or attributes.
 *
 * <p>Design notes.
 *
 * <ul>
 *   <li>Connections are held weakly: a connection that ends, however it ends, drops out without a
 *       callback.
 *   <li>Changes are coalesced: a burst of API calls causes one refresh, at most {@link
 *       #DELAY_MILLIS} later, on one thread. The refresh reloads every live connection's policies;
 *       simple and correct, and cheap next to the connection count a server holds (each reload is a
 *       few indexed queries). Until it has run, connections keep their previous decisions.
 * </ul>
 */
public final class LivePolicies implements PolicyListener {

  static final long DELAY_MILLIS = 200;

  private static final Logger log = LoggerFactory.getLogger(LivePolicies.class);

  private final Set<ConnectionPolicy> live = Collections.newSetFromMap(new WeakHashMap<>());
  private final DevicePolicyLoader loader;
  private final ScheduledExecutorService refresher;
  private final AtomicBoolean refreshPending = new AtomicBoolean();

  /**
   * @param refresher the thread refreshes run on; they block on storage
   */
  public LivePolicies(
      PolicyDocuments documents, AttachedThing.Lookup things, ScheduledExecutorService refresher) {
    this.loader = new DevicePolicyLoader(documents, things);
    this.refresher = refresher;
  }

  /** Loads a connecting device's policies and keeps them fresh while it is connected. */
  ConnectionPolicy admit(DeviceContext device) {
    ConnectionPolicy policy = new ConnectionPolicy(device, loader.load(device));
    synchronized (live) {
      live.add(policy);
    }
    return policy;
  }

  @Override
  public void policyChanged(String policyName) {
    requestRefresh();
  }

  @Override
  public void attachmentsChanged(String target) {
    requestRefresh();
  }

  /** Something policies depend on changed; the refresh follows within {@link #DELAY_MILLIS}. */
  public void requestRefresh() {
    if (refreshPending.compareAndSet(false, true)) {
      refresher.schedule(this::refresh, DELAY_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void refresh() {
    refreshPending.set(false);
    List<ConnectionPolicy> snapshot;
    synchronized (live) {
      snapshot = new ArrayList<>(live);
    }
    for (ConnectionPolicy policy : snapshot) {
      try {
        policy.rebind(loader.load(policy.device()));
      } catch (RuntimeException e) {
        // Keep the previous decisions rather than lock the device out on a storage hiccup; the
        // next change retries.
        log.warn(
            "could not refresh the policies of client {} (certificate {})",
            policy.device().clientId(),
            policy.device().certificateId(),
            e);
      }
    }
  }

  int liveCount() {
    synchronized (live) {
      return live.size();
    }
  }
}
