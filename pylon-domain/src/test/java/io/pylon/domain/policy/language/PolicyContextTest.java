package io.pylon.domain.policy.language;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyContextTest {

  @Test
  void attachedThing_setsThingVariablesAndIsAttached() {
    PolicyContext context =
        PolicyContext.builder()
            .clientId("lamp")
            .attachedThing("lamp", "light", Map.of("Floor", "3"))
            .build();

    assertThat(VariableRef.parse("iot:Connection.Thing.ThingName").single(context))
        .isEqualTo("lamp");
    assertThat(VariableRef.parse("iot:connection.thing.thingtypename").single(context))
        .isEqualTo("light");
    assertThat(VariableRef.parse("iot:Connection.Thing.Attributes[Floor]").single(context))
        .isEqualTo("3");
    assertThat(VariableRef.parse("iot:Connection.Thing.Attributes[floor]").single(context))
        .isNull();
    assertThat(VariableRef.parse("iot:Connection.Thing.IsAttached").single(context))
        .isEqualTo("true");
  }

  @Test
  void isAttached_defaultsToFalse() {
    assertThat(VariableRef.parse("iot:Connection.Thing.IsAttached").single(PolicyContext.EMPTY))
        .isEqualTo("false");
  }

  @Test
  void certificateValues_cappedAtFiveAndWildcardValuesWithheld() {
    PolicyContext context =
        PolicyContext.builder()
            .certificateSubject("OrganizationalUnit", "a", "b#", "c", "d", "e", "f")
            .certificateSubject("CommonName", "x".repeat(1025))
            .certificateIssuer("CommonName", "Root CA; \"test\"")
            .build();

    assertThat(VariableRef.parse("iot:Certificate.Subject.OrganizationalUnit.List").values(context))
        .containsExactly("a", "c", "d", "e");
    assertThat(VariableRef.parse("iot:Certificate.Subject.OrganizationalUnit.1").single(context))
        .isNull();
    assertThat(VariableRef.parse("iot:Certificate.Subject.OrganizationalUnit.5").single(context))
        .isNull();
    assertThat(VariableRef.parse("iot:Certificate.Subject.CommonName").single(context)).isNull();
    assertThat(VariableRef.parse("iot:Certificate.Issuer.CommonName").single(context))
        .isEqualTo("Root CA\\; \\\"test\\\"");
    assertThat(VariableRef.parse("iot:Certificate.AvailableKeys").values(context))
        .containsExactly(
            "iot:Certificate.Subject.OrganizationalUnit", "iot:Certificate.Issuer.CommonName");
  }

  @Test
  void connectAttributes_multiValuedNotSubstitutable() {
    PolicyContext context =
        PolicyContext.builder().connectAttributes(List.of("PersistentConnect", "LastWill")).build();

    VariableRef ref = VariableRef.parse("iot:ConnectAttributes");
    assertThat(ref.values(context)).containsExactly("PersistentConnect", "LastWill");
    assertThat(ref.single(context)).isNull();
  }

  @Test
  void certificate_readsSubjectIssuerAlternativeNamesAndSerial() throws Exception {
    java.security.cert.X509Certificate certificate;
    // Self-signed test certificate made with openssl, so the issuer equals the subject.
    try (java.io.InputStream in = getClass().getResourceAsStream("device-cert.pem")) {
      certificate =
          (java.security.cert.X509Certificate)
              java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }

    PolicyContext context = PolicyContext.builder().certificate(certificate).build();

    assertThat(VariableRef.parse("iot:Certificate.Subject.CommonName").single(context))
        .isEqualTo("pump-7");
    assertThat(VariableRef.parse("iot:Certificate.Subject.Organization.List").values(context))
        .containsExactly("Example Corp", "AnyCompany");
    assertThat(VariableRef.parse("iot:Certificate.Subject.Organization.1").single(context))
        .isEqualTo("AnyCompany");
    assertThat(VariableRef.parse("iot:Certificate.Subject.Country").single(context))
        .isEqualTo("US");
    assertThat(VariableRef.parse("iot:Certificate.Subject.State").single(context))
        .isEqualTo("Washington");
    assertThat(VariableRef.parse("iot:Certificate.Subject.OrganizationalUnit").single(context))
        .isEqualTo("Sales");
    assertThat(VariableRef.parse("iot:Certificate.Subject.SerialNumber").single(context))
        .isEqualTo("SN-0042");
    assertThat(VariableRef.parse("iot:Certificate.Subject.Title").single(context))
        .isEqualTo("Sensor");
    assertThat(VariableRef.parse("iot:Certificate.Subject.GivenName").single(context))
        .isEqualTo("Ada");
    assertThat(VariableRef.parse("iot:Certificate.Subject.Surname").single(context))
        .isEqualTo("Lovelace");
    assertThat(VariableRef.parse("iot:Certificate.Issuer.CommonName").single(context))
        .isEqualTo("pump-7");
    assertThat(
            VariableRef.parse("iot:Certificate.Subject.AlternativeName.DNSName.List")
                .values(context))
        .containsExactly("pump-7.example.com", "pump-7.local");
    assertThat(
            VariableRef.parse("iot:Certificate.Subject.AlternativeName.IPAddress").single(context))
        .isEqualTo("10.0.0.7");
    assertThat(
            VariableRef.parse("iot:Certificate.Subject.AlternativeName.RFC822Name").single(context))
        .isEqualTo("ops@example.com");
    assertThat(
            VariableRef.parse("iot:Certificate.Subject.AlternativeName.UniformResourceIdentifier")
                .single(context))
        .isEqualTo("urn:pump:7");
    assertThat(VariableRef.parse("iot:Certificate.SerialNumber").single(context)).isEqualTo("4660");
  }
}
