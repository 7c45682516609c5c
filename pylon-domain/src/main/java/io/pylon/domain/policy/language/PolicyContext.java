package io.pylon.domain.policy.language;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values of policy variables and condition keys for one principal on one connection (or one
 * HTTP request): client ID, source IP, the attached thing, certificate fields, connect attributes.
 * Immutable; build one per connection and {@link PolicyEvaluator#prepare prepare} the principal's
 * policies against it.
 *
 * <p>Keys are case-insensitive except thing attribute names. A key that was never set is missing: a
 * variable naming it is unresolved and the resource or condition value holding it matches nothing.
 * {@code iot:Connection.Thing.IsAttached} is {@code "false"} unless {@link Builder#attachedThing}
 * or {@link Builder#value} set it.
 */
public final class PolicyContext {

  public static final String CLIENT_ID = "iot:ClientId";
  public static final String SOURCE_IP = "aws:SourceIp";
  public static final String DOMAIN_NAME = "iot:DomainName";
  public static final String THING_NAME = "iot:Connection.Thing.ThingName";
  public static final String THING_TYPE_NAME = "iot:Connection.Thing.ThingTypeName";
  public static final String THING_IS_ATTACHED = "iot:Connection.Thing.IsAttached";
  public static final String THING_ATTRIBUTES_PREFIX = "iot:Connection.Thing.Attributes[";
  public static final String CONNECT_ATTRIBUTES = "iot:ConnectAttributes";
  public static final String LAST_WILL_TOPIC = "iot:LastWillTopic";
  public static final String CERTIFICATE_SERIAL_NUMBER = "iot:Certificate.SerialNumber";
  public static final String CERTIFICATE_AVAILABLE_KEYS = "iot:Certificate.AvailableKeys";

  /** Certificate values keep at most this many entries of a multi-valued field (AWS limit). */
  static final int CERTIFICATE_MAX_VALUES = 5;

  /** Longer certificate values are not substituted (AWS limit). */
  static final int CERTIFICATE_MAX_LENGTH = 1024;

  public static final PolicyContext EMPTY = builder().build();

  private final Map<String, String[]> values;
  private final Map<String, List<String>> asWritten;

  private PolicyContext(Map<String, String[]> values, Map<String, List<String>> asWritten) {
    this.values = values;
    this.asWritten = asWritten;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** By canonical key; entries may be null where a certificate value may not be substituted. */
  String[] raw(String canonicalKey) {
    return values.get(canonicalKey);
  }

  /** Every key set, under the spelling it was set with, for diagnostics. */
  public Map<String, List<String>> entries() {
    return asWritten;
  }

  @Override
  public String toString() {
    return "PolicyContext" + asWritten;
  }

  /** Collects context values; later calls for the same key replace earlier ones. */
  public static final class Builder {

    private final Map<String, List<String>> entries = new LinkedHashMap<>();

    private Builder() {}

    public Builder clientId(String clientId) {
      return value(CLIENT_ID, clientId);
    }

    /** {@code aws:SourceIp}: the client's IP address as text (IPv4 dotted or IPv6). */
    public Builder sourceIp(String ip) {
      return value(SOURCE_IP, ip);
    }

    public Builder domainName(String domainName) {
      return value(DOMAIN_NAME, domainName);
    }

    /**
     * The thing attached to the principal whose name equals the client ID: sets the thing name,
     * type (when not null), every attribute and {@code IsAttached = "true"}. Call it only when
     * those conditions hold; the variables stay unresolved otherwise, as in AWS.
     */
    public Builder attachedThing(
        String thingName, String thingTypeName, Map<String, String> attributes) {
      value(THING_NAME, thingName);
      if (thingTypeName != null) {
        value(THING_TYPE_NAME, thingTypeName);
      }
      attributes.forEach((name, v) -> value(THING_ATTRIBUTES_PREFIX + name + "]", v));
      return value(THING_IS_ATTACHED, "true");
    }

    /** {@code iot:ConnectAttributes}: {@code PersistentConnect} and/or {@code LastWill}. */
    public Builder connectAttributes(List<String> attributes) {
      return value(CONNECT_ATTRIBUTES, attributes.toArray(String[]::new));
    }

    /** {@code iot:LastWillTopic}: the ARN of the CONNECT's will topic. */
    public Builder lastWillTopic(String topicArn) {
      return value(LAST_WILL_TOPIC, topicArn);
    }

    /**
     * A subject field of the client certificate: {@code field} is the policy-variable suffix, e.g.
     * {@code CommonName}, {@code Organization}, {@code AlternativeName.DNSName}.
     */
    public Builder certificateSubject(String field, String... values) {
      return value("iot:Certificate.Subject." + field, values);
    }

    /** An issuer field of the client certificate, named as for {@link #certificateSubject}. */
    public Builder certificateIssuer(String field, String... values) {
      return value("iot:Certificate.Issuer." + field, values);
    }

    /**
     * Every {@code iot:Certificate.*} variable of the client certificate: subject and issuer
     * attributes (CommonName, Country, Organization, OrganizationalUnit, State, SerialNumber,
     * Title, Surname, GivenName, Initials, Pseudonym, GenerationQualifier,
     * DistinguishedNameQualifier) in the order they are encoded, subject and issuer alternative
     * names, and the serial number in decimal.
     */
    public Builder certificate(java.security.cert.X509Certificate certificate) {
      CertificateFields.apply(certificate, this);
      return this;
    }

    public Builder certificateSerialNumber(String serialNumber) {
      return value(CERTIFICATE_SERIAL_NUMBER, serialNumber);
    }

    /**
     * Any key, e.g. {@code cognito-identity.amazonaws.com:sub} or {@code aws:CurrentTime}. Values
     * of {@code iot:Certificate.*} keys get AWS's certificate treatment: at most five entries,
     * values containing {@code * $ + ? #} or longer than 1024 characters are not substitutable, and
     * {@code , " \ = < > ;} are escaped with a backslash.
     */
    public Builder value(String key, String... values) {
      Objects.requireNonNull(key, "key");
      for (String v : values) {
        Objects.requireNonNull(v, () -> "value of " + key);
      }
      entries.put(key, List.of(values));
      return this;
    }

    public PolicyContext build() {
      Map<String, String[]> canonical = new HashMap<>();
      Map<String, List<String>> written = new LinkedHashMap<>();
      List<String> availableCertificateKeys = new ArrayList<>();
      boolean attachedSet = false;
      for (Map.Entry<String, List<String>> entry : entries.entrySet()) {
        String key = VariableRef.canonical(entry.getKey());
        String[] values = entry.getValue().toArray(String[]::new);
        if (key.startsWith(VariableRef.CERTIFICATE_PREFIX)
            && !key.equals(VariableRef.canonical(CERTIFICATE_AVAILABLE_KEYS))) {
          values = certificateValues(values);
          if (Arrays.stream(values).anyMatch(Objects::nonNull)) {
            availableCertificateKeys.add(entry.getKey());
          }
        }
        attachedSet |= key.equals(VariableRef.canonical(THING_IS_ATTACHED));
        canonical.put(key, values);
        written.put(entry.getKey(), entry.getValue());
      }
      if (!attachedSet) {
        canonical.put(VariableRef.canonical(THING_IS_ATTACHED), new String[] {"false"});
      }
      String availableKey = VariableRef.canonical(CERTIFICATE_AVAILABLE_KEYS);
      if (!availableCertificateKeys.isEmpty() && !canonical.containsKey(availableKey)) {
        canonical.put(availableKey, availableCertificateKeys.toArray(String[]::new));
      }
      return new PolicyContext(
          Map.copyOf(canonical), java.util.Collections.unmodifiableMap(written));
    }

    private static String[] certificateValues(String[] values) {
      String[] kept = Arrays.copyOf(values, Math.min(values.length, CERTIFICATE_MAX_VALUES));
      for (int i = 0; i < kept.length; i++) {
        kept[i] = certificateValue(kept[i]);
      }
      return kept;
    }

    private static String certificateValue(String value) {
      if (value.length() > CERTIFICATE_MAX_LENGTH) {
        return null;
      }
      StringBuilder escaped = null;
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '*' || c == '$' || c == '+' || c == '?' || c == '#') {
          return null;
        }
        boolean special =
            c == ',' || c == '"' || c == '\\' || c == '=' || c == '<' || c == '>' || c == ';';
        if (special && escaped == null) {
          escaped = new StringBuilder(value.length() + 8).append(value, 0, i);
        }
        if (escaped != null) {
          if (special) {
            escaped.append('\\');
          }
          escaped.append(c);
        }
      }
      return escaped == null ? value : escaped.toString();
    }
  }
}
