package io.pylon.domain.identity;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans identity changes out to listeners added at any time, so that the services can be built
 * before the broker and TLS trust that listen to them.
 */
public final class IdentityListeners implements IdentityListener {

  private static final Logger log = LoggerFactory.getLogger(IdentityListeners.class);

  private final List<IdentityListener> listeners = new CopyOnWriteArrayList<>();

  public void add(IdentityListener listener) {
    listeners.add(listener);
  }

  @Override
  public void certificateChanged(Optional<Certificate> previous, Certificate current) {
    each(l -> l.certificateChanged(previous, current));
  }

  @Override
  public void certificateDeleted(Certificate deleted) {
    each(l -> l.certificateDeleted(deleted));
  }

  @Override
  public void caCertificateChanged(Optional<CaCertificate> previous, CaCertificate current) {
    each(l -> l.caCertificateChanged(previous, current));
  }

  @Override
  public void caCertificateDeleted(CaCertificate deleted) {
    each(l -> l.caCertificateDeleted(deleted));
  }

  private void each(java.util.function.Consumer<IdentityListener> call) {
    for (IdentityListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        // The change is committed; one failing listener must not hide it from the others.
        log.warn("identity listener {} failed", l, e);
      }
    }
  }
}
