package io.pylon.domain.policy.language;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * Reads the {@code iot:Certificate.*} policy variables from an X.509 certificate: the subject and
 * issuer attributes AWS names, their alternative names, and the serial number.
 */
final class CertificateFields {

  /** Attribute keyword as X500Principal prints it with {@link #KEYWORDS} → variable suffix. */
  private static final Map<String, String> FIELDS =
      Map.ofEntries(
          Map.entry("CN", "CommonName"),
          Map.entry("C", "Country"),
          Map.entry("O", "Organization"),
          Map.entry("OU", "OrganizationalUnit"),
          Map.entry("ST", "State"),
          Map.entry("SERIALNUMBER", "SerialNumber"),
          Map.entry("T", "Title"),
          Map.entry("SURNAME", "Surname"),
          Map.entry("GIVENNAME", "GivenName"),
          Map.entry("INITIALS", "Initials"),
          Map.entry("PSEUDONYM", "Pseudonym"),
          Map.entry("GENERATION", "GenerationQualifier"),
          Map.entry("DNQUALIFIER", "DistinguishedNameQualifier"));

  /** OIDs that RFC 2253 output would otherwise print as hex, mapped to keywords. */
  private static final Map<String, String> KEYWORDS =
      Map.of(
          "2.5.4.5", "SERIALNUMBER",
          "2.5.4.12", "T",
          "2.5.4.4", "SURNAME",
          "2.5.4.42", "GIVENNAME",
          "2.5.4.43", "INITIALS",
          "2.5.4.65", "PSEUDONYM",
          "2.5.4.44", "GENERATION",
          "2.5.4.46", "DNQUALIFIER");

  /** GeneralName tags (RFC 5280) → variable suffix. */
  private static final Map<Integer, String> ALTERNATIVE_NAMES =
      Map.of(
          1, "RFC822Name",
          2, "DNSName",
          4, "DirectoryName",
          6, "UniformResourceIdentifier",
          7, "IPAddress");

  private CertificateFields() {}

  static void apply(X509Certificate certificate, PolicyContext.Builder builder) {
    distinguishedName(certificate.getSubjectX500Principal())
        .forEach(
            (field, values) -> builder.certificateSubject(field, values.toArray(String[]::new)));
    distinguishedName(certificate.getIssuerX500Principal())
        .forEach(
            (field, values) -> builder.certificateIssuer(field, values.toArray(String[]::new)));
    try {
      alternativeNames(certificate.getSubjectAlternativeNames())
          .forEach(
              (field, values) ->
                  builder.certificateSubject(
                      "AlternativeName." + field, values.toArray(String[]::new)));
      alternativeNames(certificate.getIssuerAlternativeNames())
          .forEach(
              (field, values) ->
                  builder.certificateIssuer(
                      "AlternativeName." + field, values.toArray(String[]::new)));
    } catch (CertificateParsingException e) {
      // A certificate with an unreadable extension simply has no alternative-name variables.
    }
    builder.certificateSerialNumber(certificate.getSerialNumber().toString());
  }

  private static Map<String, List<String>> distinguishedName(X500Principal principal) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    LdapName name;
    try {
      name = new LdapName(principal.getName(X500Principal.RFC2253, KEYWORDS));
    } catch (InvalidNameException e) {
      return fields;
    }
    // LdapName lists RDNs from the last one printed, which is the first one encoded.
    for (Rdn rdn : name.getRdns()) {
      try {
        javax.naming.NamingEnumeration<? extends javax.naming.directory.Attribute> attributes =
            rdn.toAttributes().getAll();
        while (attributes.hasMore()) {
          javax.naming.directory.Attribute attribute = attributes.next();
          String field = FIELDS.get(attribute.getID().toUpperCase(Locale.ROOT));
          Object value = attribute.get();
          if (field != null && value instanceof String text) {
            fields.computeIfAbsent(field, f -> new ArrayList<>()).add(text);
          }
        }
      } catch (javax.naming.NamingException e) {
        // skip an RDN that cannot be read
      }
    }
    return fields;
  }

  private static Map<String, List<String>> alternativeNames(Collection<List<?>> names) {
    Map<String, List<String>> fields = new LinkedHashMap<>();
    if (names == null) {
      return fields;
    }
    for (List<?> entry : names) {
      String field = ALTERNATIVE_NAMES.get((Integer) entry.get(0));
      if (field != null && entry.get(1) instanceof String value) {
        fields.computeIfAbsent(field, f -> new ArrayList<>()).add(value);
      }
    }
    return fields;
  }
}
