package io.pylon.http.rest;

import io.pylon.http.rest.RestRequest.Caller;
import io.pylon.http.sigv4.CredentialStore;
import io.pylon.http.sigv4.SigV4Request;
import io.pylon.http.sigv4.SigV4Verifier;
import io.pylon.http.sigv4.VerificationResult;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The AWS restJson front door: takes a raw request and answers it, in this order:
 *
 * <ol>
 *   <li>body size ({@code RequestEntityTooLargeException}, 413);
 *   <li>route: method and raw path against the {@link RouteCatalog} ({@code
 *       UnknownOperationException}, 404, when nothing matches);
 *   <li>authentication: SigV4 in the header or the query, else the TLS client certificate, else
 *       {@code MissingAuthenticationTokenException} (403); only ConfirmTopicRuleDestination, whose
 *       token is the credential (AWS's {@code enableUrl}), is served to a caller without either;
 *   <li>service: the signing name of the credential scope picks among the matched routes (iot and
 *       iot-jobs-data share three); certificate callers reach iot-data and iot-jobs-data only;
 *   <li>handler: the operation registered by a {@link RestApi}, or {@code NotImplementedException}
 *       (501, which SDKs do not retry) naming the operation;
 *   <li>errors: whatever the handler throws becomes an AWS error through {@link AwsErrors}.
 * </ol>
 *
 * Every response carries {@code x-amzn-RequestId}. Thread-safe; handlers may block.
 */
public final class RestRouter {

  private static final Logger log = LoggerFactory.getLogger(RestRouter.class);

  /** AWS's API front door refuses bodies beyond a few MiB; Pylon's APIs need far less. */
  public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

  static final String NOT_IMPLEMENTED = "NotImplementedException";
  static final String UNKNOWN_OPERATION = "UnknownOperationException";
  static final String TOO_LARGE = "RequestEntityTooLargeException";
  static final String MISSING_TOKEN = "MissingAuthenticationTokenException";
  static final String INVALID_SIGNATURE = "InvalidSignatureException";

  private final RouteCatalog catalog;
  private final SigV4Verifier verifier;
  private final int maxBodyBytes;
  private final Map<RestService, Map<String, RestOperation>> handlers =
      new EnumMap<>(RestService.class);

  /**
   * @param verifier must accept every signing name of {@link #signingNames()}; the router checks
   *     per route which of them fit
   * @param apis the operation handlers
   */
  public RestRouter(
      RouteCatalog catalog,
      SigV4Verifier verifier,
      List<? extends RestApi> apis,
      int maxBodyBytes) {
    this.catalog = catalog;
    this.verifier = verifier;
    this.maxBodyBytes = maxBodyBytes;
    if (!verifier.acceptedServices().containsAll(signingNames())) {
      throw new IllegalArgumentException(
          "the verifier must accept every signing name of " + signingNames());
    }
    for (RestService s : RestService.values()) {
      handlers.put(s, new HashMap<>());
    }
    for (RestApi api : apis) {
      api.register(this::register);
    }
  }

  /** A router over the shipped catalog, verifying with {@code credentials} at AWS's clock skew. */
  public static RestRouter create(
      CredentialStore credentials, Clock clock, List<? extends RestApi> apis) {
    return new RestRouter(
        RouteCatalog.aws(),
        new SigV4Verifier(credentials, clock, signingNames()),
        apis,
        DEFAULT_MAX_BODY_BYTES);
  }

  /** Every signing name any of the services accepts, preferred names first. */
  public static Set<String> signingNames() {
    Set<String> names = new LinkedHashSet<>();
    for (RestService s : RestService.values()) {
      names.addAll(s.signingNames());
    }
    return names;
  }

  private void register(String serviceId, String operation, RestOperation handler) {
    RestService service =
        RestService.byId(serviceId)
            .orElseThrow(() -> new IllegalArgumentException("unknown service " + serviceId));
    if (catalog.route(service, operation).isEmpty()) {
      throw new IllegalArgumentException(serviceId + " has no operation " + operation);
    }
    if (handlers.get(service).putIfAbsent(operation, handler) != null) {
      throw new IllegalArgumentException(serviceId + ":" + operation + " is registered twice");
    }
  }

  /** Whether a handler serves {@code operation} of {@code service}. */
  public boolean serves(RestService service, String operation) {
    return handlers.get(service).containsKey(operation);
  }

  public RouteCatalog catalog() {
    return catalog;
  }

  public RestResponse handle(RawHttpRequest request) {
    String requestId = UUID.randomUUID().toString();
    RestResponse response = dispatch(request, requestId);
    Map<String, String> headers = new LinkedHashMap<>(response.headers());
    headers.put("x-amzn-RequestId", requestId);
    return new RestResponse(response.status(), response.contentType(), headers, response.body());
  }

  private RestResponse dispatch(RawHttpRequest request, String requestId) {
    if (request.body().length > maxBodyBytes) {
      return AwsErrors.error(
          413,
          TOO_LARGE,
          "The request body is "
              + request.body().length
              + " bytes; at most "
              + maxBodyBytes
              + " are accepted.");
    }
    SigV4Request signable =
        SigV4Request.fromRequestTarget(
            request.method(), request.target(), request.headers(), request.body());
    List<RouteMatch> matches = catalog.match(request.method(), signable.rawPath());
    if (matches.isEmpty()) {
      return AwsErrors.error(
          404,
          UNKNOWN_OPERATION,
          "No operation matches " + request.method() + " " + signable.rawPath());
    }
    Map<String, List<String>> query = QueryString.parse(signable.rawQuery());

    Caller caller;
    String signingName;
    Optional<RouteMatch> tokenOnly =
        carriesSigV4(request, query) || request.clientCertificateId().isPresent()
            ? Optional.empty()
            : matches.stream().filter(RestRouter::isAuthorizedByItsToken).findFirst();
    if (tokenOnly.isPresent()) {
      caller = new Caller.Anonymous();
      signingName = null;
    } else if (!carriesSigV4(request, query) && request.clientCertificateId().isPresent()) {
      caller = new Caller.Certificate(request.clientCertificateId().get());
      signingName = null;
    } else {
      VerificationResult result = verifier.verify(signable);
      if (result instanceof VerificationResult.Rejected rejected) {
        log.info(
            "request {} {} {} refused: {} {}",
            requestId,
            request.method(),
            signable.rawPath(),
            rejected.error(),
            rejected.message());
        if (rejected.canonicalRequest() != null) {
          log.debug("request {}: {}", requestId, rejected.detailedMessage());
        }
        return AwsErrors.error(rejected.httpStatus(), rejected.errorCode(), rejected.message());
      }
      VerificationResult.Verified verified = (VerificationResult.Verified) result;
      caller = new Caller.SigV4(verified.accessKeyId(), verified.region());
      signingName = verified.service();
    }

    Optional<RouteMatch> chosen = tokenOnly.isPresent() ? tokenOnly : choose(matches, signingName);
    if (chosen.isEmpty()) {
      RestService expected = matches.get(0).route().service();
      if (signingName == null) {
        return AwsErrors.error(403, MISSING_TOKEN, "Missing Authentication Token");
      }
      return AwsErrors.error(
          403,
          INVALID_SIGNATURE,
          "Credential should be scoped to correct service: '"
              + expected.signingNames().get(0)
              + "'. ");
    }
    Route route = chosen.get().route();
    RestOperation handler = handlers.get(route.service()).get(route.operation());
    if (handler == null) {
      return AwsErrors.error(
          501,
          NOT_IMPLEMENTED,
          "Pylon does not implement " + route.operation() + " (" + route.service().id() + ") yet.");
    }
    RestRequest restRequest =
        new RestRequest(
            route.operation(),
            caller,
            chosen.get().labels(),
            query,
            lowerCaseHeaders(request),
            request.body());
    try {
      RestResponse response = handler.handle(restRequest);
      if (response == null) {
        throw new IllegalStateException("handler returned no response");
      }
      return response;
    } catch (RuntimeException e) {
      return AwsErrors.of(route.service(), route.operation(), e);
    }
  }

  /**
   * The match whose service accepts the caller: by signing name for SigV4, iot-data or
   * iot-jobs-data for a certificate (which makes the shared routes jobs data plane for devices).
   */
  private static Optional<RouteMatch> choose(List<RouteMatch> matches, String signingName) {
    for (RouteMatch m : matches) {
      RestService service = m.route().service();
      boolean accepted =
          signingName == null
              ? service.acceptsCertificates()
              : service.signingNames().contains(signingName);
      if (accepted) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a route may be called without credentials because its input is itself the secret:
   * ConfirmTopicRuleDestination, whose 256-bit single-use token AWS sends as an {@code enableUrl}
   * to be opened in a browser.
   */
  private static boolean isAuthorizedByItsToken(RouteMatch match) {
    return match.route().service() == RestService.IOT
        && match.route().operation().equals("ConfirmTopicRuleDestination");
  }

  /** SigV4 wins over a client certificate whenever the request carries any part of a signature. */
  private static boolean carriesSigV4(RawHttpRequest request, Map<String, List<String>> query) {
    return request.headers().contains("authorization")
        || query.containsKey("X-Amz-Signature")
        || query.containsKey("X-Amz-Credential")
        || query.containsKey("X-Amz-Algorithm");
  }

  private static Map<String, String> lowerCaseHeaders(RawHttpRequest request) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> h : request.headers().entries()) {
      headers.merge(h.getKey().toLowerCase(Locale.ROOT), h.getValue(), (a, b) -> a + "," + b);
    }
    return headers;
  }
}
