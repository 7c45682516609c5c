package io.pylon.server.authorization;

import io.pylon.domain.AwsAccount;
import io.pylon.domain.error.ForbiddenException;
import io.pylon.domain.identity.Certificate;
import io.pylon.domain.identity.CertificateService;
import io.pylon.domain.identity.CertificateStatus;
import io.pylon.domain.policy.language.NamedPolicy;
import io.pylon.domain.policy.language.PolicyContext;
import io.pylon.domain.policy.language.PolicyEvaluator;
import io.pylon.domain.policy.language.PreparedPolicies;
import io.pylon.http.rest.RestRequest.Caller;
import io.pylon.server.pki.Pem;
import java.util.List;
import java.util.Optional;

/**
 * IoT policies for REST calls of the data planes (iot-data, iot-jobs-data): whether the caller of
 * an operation may perform its IoT action ({@code iot:Publish}, {@code iot:GetThingShadow}, ...) on
 * its resource.
 *
 * <p>Who is judged: a caller that signed with SigV4 holds the server's admin credentials and may do
 * anything, as an IAM administrator may. A device that presented a client certificate (no
 * signature) is judged by the policies in effect for that certificate, those attached to it
 * directly; an HTTP request has no client id, so no thing is associated with it and the {@code
 * iot:ClientId} and {@code iot:Connection.Thing.*} variables are absent, as AWS IoT documents for
 * HTTPS. The certificate variables ({@code iot:Certificate.*}) are bound. A certificate that is not
 * registered, or not ACTIVE, is refused everything.
 *
 * <p>Policies are loaded for every call, so a change applies to the next request; parsing is shared
 * with MQTT connections through {@link PolicyDocuments}.
 */
public final class RestCallerPolicies {

  /** Loads the policies that judge a certificate's REST calls. */
  @FunctionalInterface
  public interface Loader {

    /**
     * The certificate's prepared policies, or empty when it is not registered or not ACTIVE.
     *
     * @param certificateId SHA-256 hex of the certificate's DER encoding
     */
    Optional<PreparedPolicies> load(String certificateId);
  }

  private final AwsAccount account;
  private final Loader loader;

  public RestCallerPolicies(AwsAccount account, Loader loader) {
    this.account = account;
    this.loader = loader;
  }

  /** Judges certificates by their registration and effective policies in these services. */
  public static RestCallerPolicies of(
      AwsAccount account, CertificateService certificates, PolicyDocuments documents) {
    return new RestCallerPolicies(account, new ServiceLoader(certificates, documents));
  }

  /**
   * Refuses with {@link ForbiddenException} unless {@code caller} may do {@code action} on {@code
   * resource}.
   *
   * @param action an IoT action, e.g. {@code iot:Publish} (see {@code AuthorizationRequest})
   * @param resource the resource ARN, or {@code *} for actions AWS IoT authorizes without one
   */
  public void require(Caller caller, String action, String resource) {
    if (!allows(caller, action, resource)) {
      throw new ForbiddenException(
          "The client certificate is not authorized to perform " + action + " on " + resource);
    }
  }

  /** As {@link #require} on the ARN of {@code topic}, {@code arn:...:topic/<topic>}. */
  public void requireOnTopic(Caller caller, String action, String topic) {
    require(caller, action, topicArn(topic));
  }

  /** As {@link #require} on the ARN of {@code thingName}, {@code arn:...:thing/<thingName>}. */
  public void requireOnThing(Caller caller, String action, String thingName) {
    require(caller, action, account.arn("thing", thingName));
  }

  /** Whether {@code caller} may do {@code action} on {@code resource}. */
  public boolean allows(Caller caller, String action, String resource) {
    if (caller instanceof Caller.SigV4) {
      return true;
    }
    if (!(caller instanceof Caller.Certificate device)) {
      return false;
    }
    return loader.load(device.certificateId()).map(p -> p.allows(action, resource)).orElse(false);
  }

  /** The ARN policies name a topic by. */
  public String topicArn(String topic) {
    return account.arn("topic", topic);
  }

  /** Loads from the certificate and policy services. */
  private static final class ServiceLoader implements Loader {

    private final CertificateService certificates;
    private final PolicyDocuments documents;

    ServiceLoader(CertificateService certificates, PolicyDocuments documents) {
      this.certificates = certificates;
      this.documents = documents;
    }

    @Override
    public Optional<PreparedPolicies> load(String certificateId) {
      Optional<Certificate> found = certificates.find(certificateId);
      if (found.isEmpty() || found.get().status() != CertificateStatus.ACTIVE) {
        return Optional.empty();
      }
      Certificate certificate = found.get();
      List<NamedPolicy> named = documents.effective(certificate.arn(), Optional.empty());
      PolicyContext context =
          PolicyContext.builder().certificate(Pem.parseCertificate(certificate.pem())).build();
      return Optional.of(PolicyEvaluator.prepare(named, context));
    }
  }
}
