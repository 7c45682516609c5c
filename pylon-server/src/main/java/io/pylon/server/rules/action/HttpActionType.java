package io.pylon.server.rules.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.InvalidRequestException;
import io.pylon.domain.rules.TopicRuleDestination;
import io.pylon.domain.rules.action.ActionDefinition;
import io.pylon.domain.rules.action.ActionFailedException;
import io.pylon.domain.rules.action.ActionInvocation;
import io.pylon.domain.rules.action.RuleAction;
import io.pylon.domain.rules.action.RuleActionType;
import io.pylon.domain.rules.sql.SubstitutionTemplate;
import io.pylon.http.sigv4.AwsCredentials;
import io.pylon.server.rules.outbound.OutboundHttp;
import io.pylon.server.rules.outbound.OutboundRequest;
import io.pylon.server.rules.outbound.SigV4Signing;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@code http}: POSTs the rule's output to a URL that an ENABLED topic rule destination covers.
 *
 * <p>As AWS: the URL and header values may hold substitution templates; the body's content type is
 * {@code application/json} for JSON output, else {@code application/octet-stream}, unless a header
 * sets it; SigV4 signing is optional. Timeouts and retries (3 s, up to 3 attempts on 429 and 5xx)
 * are {@link OutboundHttp}'s. Beyond AWS, plain {@code http://} URLs are accepted, for sinks on a
 * developer's machine; AWS requires HTTPS.
 */
public final class HttpActionType implements RuleActionType {

  static final int MAX_URL_LENGTH = 2000;
  static final int MAX_HEADERS = 100;

  private final OutboundHttp http;
  private final Function<String, Optional<TopicRuleDestination>> enabledDestinations;
  private final Optional<AwsCredentials> signingCredentials;

  /**
   * @param enabledDestinations the ENABLED destination covering a URL, if any; null where
   *     destinations are unknown (an offline dry run), which previews without checking them
   * @param signingCredentials the keys SigV4-signed requests are signed with (AWS would assume the
   *     action's role; Pylon has no IAM roles)
   */
  public HttpActionType(
      OutboundHttp http,
      Function<String, Optional<TopicRuleDestination>> enabledDestinations,
      Optional<AwsCredentials> signingCredentials) {
    this.http = http;
    this.enabledDestinations = enabledDestinations;
    this.signingCredentials = signingCredentials;
  }

  @Override
  public String key() {
    return "http";
  }

  @Override
  public RuleAction prepare(ActionDefinition definition) {
    ActionConfig c = new ActionConfig(key(), definition);
    String url = c.requiredText("url");
    checkUrl(c.path("url"), url, false);
    String confirmationUrl = c.optionalText(c.config(), "confirmationUrl", "");
    if (confirmationUrl != null) {
      checkUrl(c.path("confirmationUrl"), confirmationUrl, true);
      if (!url.startsWith(confirmationUrl)) {
        throw new InvalidRequestException(
            c.path("url") + " must start with the confirmationUrl " + confirmationUrl);
      }
    }
    List<SubstitutionTemplate[]> headers = new ArrayList<>();
    JsonNode list = c.config().get("headers");
    if (list != null && !list.isNull()) {
      if (!list.isArray() || list.size() > MAX_HEADERS) {
        throw new InvalidRequestException(
            c.path("headers") + " must be a list of at most " + MAX_HEADERS + " headers");
      }
      for (JsonNode h : list) {
        if (!h.isObject() || !h.path("key").isTextual() || !h.path("value").isTextual()) {
          throw new InvalidRequestException(c.path("headers") + " entries need key and value");
        }
        String name = h.get("key").textValue();
        if (name.isEmpty() || !name.chars().allMatch(HttpActionType::isTokenChar)) {
          throw new InvalidRequestException(
              c.path("headers") + ": '" + name + "' is not a valid header name");
        }
        headers.add(
            new SubstitutionTemplate[] {c.template(name), c.template(h.get("value").textValue())});
      }
    }
    Optional<SigningSpec> signing = Optional.empty();
    ObjectNode auth = c.optionalObject("auth");
    if (auth != null && auth.has("sigv4")) {
      JsonNode s = auth.get("sigv4");
      if (!s.isObject()
          || !s.path("signingRegion").isTextual()
          || !s.path("serviceName").isTextual()
          || !s.path("roleArn").isTextual()) {
        throw new InvalidRequestException(
            c.path("auth.sigv4") + " needs signingRegion, serviceName and roleArn");
      }
      signing =
          Optional.of(
              new SigningSpec(
                  s.get("signingRegion").textValue(), s.get("serviceName").textValue()));
    }
    return new Http(c.template(url), confirmationUrl, List.copyOf(headers), signing);
  }

  private static boolean isTokenChar(int ch) {
    return ch > 32 && ch < 127 && "()<>@,;:\\\"/[]?={}".indexOf(ch) < 0;
  }

  private static void checkUrl(String field, String url, boolean constant) {
    if (url.length() > MAX_URL_LENGTH) {
      throw new InvalidRequestException(
          field + " may be at most " + MAX_URL_LENGTH + " characters");
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
      throw new InvalidRequestException(
          field + " must be an https:// (or http://) URL, was " + url);
    }
    if (constant && url.contains("${")) {
      throw new InvalidRequestException(field + " cannot hold substitution templates");
    }
  }

  private record SigningSpec(String region, String service) {}

  private final class Http implements RuleAction {

    private final SubstitutionTemplate url;
    private final String confirmationUrl;
    private final List<SubstitutionTemplate[]> headers;
    private final Optional<SigningSpec> signing;

    Http(
        SubstitutionTemplate url,
        String confirmationUrl,
        List<SubstitutionTemplate[]> headers,
        Optional<SigningSpec> signing) {
      this.url = url;
      this.confirmationUrl = confirmationUrl;
      this.headers = headers;
      this.signing = signing;
    }

    @Override
    public String failedActionName() {
      return "HttpAction";
    }

    @Override
    public String resource(ActionInvocation invocation) {
      return withoutQuery(url.render(invocation.message(), invocation.environment()));
    }

    @Override
    public CompletionStage<Void> execute(ActionInvocation invocation) {
      OutboundRequest request;
      try {
        request = signed(request(invocation));
        String target = request.uri().toString();
        if (enabledDestinations == null || enabledDestinations.apply(target).isEmpty()) {
          throw new ActionFailedException(
              "no ENABLED topic rule destination covers " + withoutQuery(target));
        }
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
      return OutboundOutcome.of(http.send(request));
    }

    @Override
    public ObjectNode preview(ActionInvocation invocation) {
      OutboundRequest request = request(invocation);
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("method", request.method());
      out.put("url", request.uri().toString());
      ObjectNode h = out.putObject("headers");
      for (Map.Entry<String, String> e : request.headers()) {
        h.put(e.getKey(), e.getValue());
      }
      signing.ifPresent(s -> out.put("sigv4", s.service() + "/" + s.region()));
      if (enabledDestinations != null) {
        out.put(
            "destinationEnabled", enabledDestinations.apply(request.uri().toString()).isPresent());
      }
      out.put("body", new String(request.body(), StandardCharsets.UTF_8));
      out.put("bodyBase64", Base64.getEncoder().encodeToString(request.body()));
      return out;
    }

    /** Adds SigV4 signing when the action asks for it. */
    private OutboundRequest signed(OutboundRequest request) {
      if (signing.isEmpty()) {
        return request;
      }
      AwsCredentials credentials =
          signingCredentials.orElseThrow(
              () ->
                  new ActionFailedException(
                      "SigV4 signing asked for, but no signing keys are configured"
                          + " (rules.http.access-key-id / secret-access-key)"));
      return new OutboundRequest(
          request.method(),
          request.uri(),
          request.headers(),
          request.body(),
          Optional.of(
              new SigV4Signing(signing.get().region(), signing.get().service(), credentials)));
    }

    private OutboundRequest request(ActionInvocation in) {
      String target = url.render(in.message(), in.environment());
      URI uri;
      try {
        uri = new URI(target);
      } catch (URISyntaxException e) {
        throw new ActionFailedException("the rendered URL is not a URL: " + e.getMessage());
      }
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
        throw new ActionFailedException(
            "the rendered URL " + withoutQuery(target) + " has no host");
      }
      if (confirmationUrl != null && !target.startsWith(confirmationUrl)) {
        throw new ActionFailedException(
            "the rendered URL " + withoutQuery(target) + " is outside " + confirmationUrl);
      }
      List<Map.Entry<String, String>> rendered = new ArrayList<>(headers.size() + 1);
      boolean contentType = false;
      for (SubstitutionTemplate[] h : headers) {
        String name = h[0].render(in.message(), in.environment());
        contentType |= name.equalsIgnoreCase("content-type");
        rendered.add(new SimpleImmutableEntry<>(name, h[1].render(in.message(), in.environment())));
      }
      if (!contentType) {
        rendered.add(
            new SimpleImmutableEntry<>(
                "content-type",
                looksLikeJson(in.payload()) ? "application/json" : "application/octet-stream"));
      }
      return new OutboundRequest("POST", uri, rendered, in.payload(), Optional.empty());
    }
  }

  /** A URL for logs and error payloads: query strings may carry secrets. */
  static String withoutQuery(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q);
  }

  /** JSON output of a rule starts with an object, an array, a string or a scalar; binary not. */
  static boolean looksLikeJson(byte[] payload) {
    for (byte b : payload) {
      if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
        continue;
      }
      return b == '{'
          || b == '['
          || b == '"'
          || b == '-'
          || (b >= '0' && b <= '9')
          || b == 't'
          || b == 'f'
          || b == 'n';
    }
    return false;
  }
}
