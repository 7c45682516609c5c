package io.pylon.server.identity;

import io.pylon.domain.identity.CaCertificate;
import io.pylon.domain.identity.CaCertificateStatus;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.CertificateStatus;
import io.pylon.domain.identity.IdentityListener;
import io.pylon.mqtt.broker.MqttBroker;
import io.pylon.server.auth.DeviceIdentity;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Closes the MQTT connections of a certificate that leaves ACTIVE (AWS: "within a few minutes of
 * updating a certificate from the ACTIVE state to any other state, IoT disconnects all devices that
 * used that certificate"; Pylon does it at once), and of every certificate of a CA that leaves
 * ACTIVE.
 */
public final class RevokedConnections implements IdentityListener {

  private final MqttBroker broker;
  private final CertificateService certificates;

  public RevokedConnections(MqttBroker broker, CertificateService certificates) {
    this.broker = broker;
    this.certificates = certificates;
  }

  /**
   * Only a change away from ACTIVE can leave connections behind: a new certificate has none, and a
   * deleted one was not ACTIVE (DeleteCertificate refuses that), so its connections are gone.
   */
  @Override
  public void certificateChanged(Optional<Certificate> previous, Certificate current) {
    boolean wasActive = previous.map(p -> p.status() == CertificateStatus.ACTIVE).orElse(false);
    if (wasActive && current.status() != CertificateStatus.ACTIVE) {
      String id = current.id();
      broker.disconnect(p -> p instanceof DeviceIdentity c && c.certificateId().equals(id));
    }
  }

  @Override
  public void caCertificateChanged(Optional<CaCertificate> previous, CaCertificate current) {
    if (current.status() != CaCertificateStatus.ACTIVE
        && previous.map(p -> p.status() == CaCertificateStatus.ACTIVE).orElse(false)) {
      Set<String> ids = new HashSet<>(certificates.idsByCa(current.id()));
      broker.disconnect(p -> p instanceof DeviceIdentity c && ids.contains(c.certificateId()));
    }
  }
}
