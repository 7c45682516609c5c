package io.pylon.domain.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Merge, delta and metadata rules, one row per case from the AWS IoT developer guide's shadow
 * document and data flow pages. Each update in a row is applied at the next second (100, 101, ...)
 * so that the metadata shows which update wrote which leaf.
 */
class ShadowDocumentTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  record Case(String name, List<String> updates, String state, String metadata, String delta) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Case> cases() {
    return Stream.of(
        new Case(
            "desired on a new shadow is the whole delta",
            List.of("{'state':{'desired':{'color':'red','level':7}}}"),
            "{'desired':{'color':'red','level':7}}",
            "{'desired':{'color':{'timestamp':100},'level':{'timestamp':100}}}",
            "{'color':'red','level':7}"),
        new Case(
            "reported matching desired leaves no delta",
            List.of(
                "{'state':{'desired':{'color':'red'}}}", "{'state':{'reported':{'color':'red'}}}"),
            "{'desired':{'color':'red'},'reported':{'color':'red'}}",
            "{'desired':{'color':{'timestamp':100}},'reported':{'color':{'timestamp':101}}}",
            null),
        new Case(
            "keys only in reported never appear in the delta",
            List.of(
                "{'state':{'desired':{'color':'red'},'reported':{'color':'green','engine':'ON'}}}"),
            "{'desired':{'color':'red'},'reported':{'color':'green','engine':'ON'}}",
            "{'desired':{'color':{'timestamp':100}},"
                + "'reported':{'color':{'timestamp':100},'engine':{'timestamp':100}}}",
            "{'color':'red'}"),
        new Case(
            "null deletes a key and its metadata",
            List.of(
                "{'state':{'reported':{'color':'red','engine':'ON'}}}",
                "{'state':{'reported':{'engine':null}}}"),
            "{'reported':{'color':'red'}}",
            "{'reported':{'color':{'timestamp':100}}}",
            null),
        new Case(
            "nested objects merge and untouched leaves keep their timestamps",
            List.of(
                "{'state':{'desired':{'led':{'color':'red','level':1}}}}",
                "{'state':{'desired':{'led':{'level':2}}}}"),
            "{'desired':{'led':{'color':'red','level':2}}}",
            "{'desired':{'led':{'color':{'timestamp':100},'level':{'timestamp':101}}}}",
            "{'led':{'color':'red','level':2}}"),
        new Case(
            "nested delta holds only differing leaves",
            List.of(
                "{'state':{'desired':{'led':{'color':'blue','level':7}},"
                    + "'reported':{'led':{'color':'red','level':7}}}}"),
            "{'desired':{'led':{'color':'blue','level':7}},"
                + "'reported':{'led':{'color':'red','level':7}}}",
            "{'desired':{'led':{'color':{'timestamp':100},'level':{'timestamp':100}}},"
                + "'reported':{'led':{'color':{'timestamp':100},'level':{'timestamp':100}}}}",
            "{'led':{'color':'blue'}}"),
        new Case(
            "arrays replace wholesale with one metadata entry per element",
            List.of(
                "{'state':{'desired':{'colors':['red','green','blue']}}}",
                "{'state':{'desired':{'colors':[{'r':1},'x']}}}"),
            "{'desired':{'colors':[{'r':1},'x']}}",
            "{'desired':{'colors':[{'r':{'timestamp':101}},{'timestamp':101}]}}",
            "{'colors':[{'r':1},'x']}"),
        new Case(
            "arrays are compared whole for the delta",
            List.of(
                "{'state':{'desired':{'a':[1,2]},'reported':{'a':[1,2]}}}",
                "{'state':{'reported':{'b':[1]},'desired':{'b':[1,2]}}}"),
            "{'desired':{'a':[1,2],'b':[1,2]},'reported':{'a':[1,2],'b':[1]}}",
            "{'desired':{'a':[{'timestamp':100},{'timestamp':100}],"
                + "'b':[{'timestamp':101},{'timestamp':101}]},"
                + "'reported':{'a':[{'timestamp':100},{'timestamp':100}],'b':[{'timestamp':101}]}}",
            "{'b':[1,2]}"),
        new Case(
            "numbers compare by value",
            List.of("{'state':{'desired':{'t':1},'reported':{'t':1.0}}}"),
            "{'desired':{'t':1},'reported':{'t':1.0}}",
            "{'desired':{'t':{'timestamp':100}},'reported':{'t':{'timestamp':100}}}",
            null),
        new Case(
            "a section set to null is removed with its metadata",
            List.of(
                "{'state':{'desired':{'a':1},'reported':{'a':2}}}", "{'state':{'desired':null}}"),
            "{'reported':{'a':2}}",
            "{'reported':{'a':{'timestamp':100}}}",
            null),
        new Case(
            "state null clears both sections",
            List.of("{'state':{'desired':{'a':1},'reported':{'a':2}}}", "{'state':null}"),
            "{}",
            "{}",
            null),
        new Case(
            "a section emptied by deletes is dropped",
            List.of("{'state':{'desired':{'a':1}}}", "{'state':{'desired':{'a':null}}}"),
            "{}",
            "{}",
            null),
        new Case(
            "a new object of nulls adds nothing",
            List.of("{'state':{'reported':{'a':1,'b':{'c':null}}}}"),
            "{'reported':{'a':1}}",
            "{'reported':{'a':{'timestamp':100}}}",
            null),
        new Case(
            "an object replaces a scalar and a scalar replaces an object",
            List.of(
                "{'state':{'reported':{'a':1,'b':{'c':2}}}}",
                "{'state':{'reported':{'a':{'x':true},'b':'flat'}}}"),
            "{'reported':{'a':{'x':true},'b':'flat'}}",
            "{'reported':{'a':{'x':{'timestamp':101}},'b':{'timestamp':101}}}",
            null),
        new Case(
            "a delta key in a request is ignored",
            List.of("{'state':{'desired':{'a':1},'delta':{'a':2}}}"),
            "{'desired':{'a':1}}",
            "{'desired':{'a':{'timestamp':100}}}",
            "{'a':1}"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void apply_awsDocumentCases(Case c) throws Exception {
    ShadowDocument document = ShadowDocument.empty();
    long ts = 100;
    for (String update : c.updates()) {
      document = document.apply(request(update), ts++);
    }

    assertThat(reread(document.state(false))).isEqualTo(json(c.state()));
    assertThat(reread(document.metadata())).isEqualTo(json(c.metadata()));
    if (c.delta() == null) {
      assertThat(document.delta()).isEmpty();
    } else {
      assertThat(reread(document.delta().orElseThrow())).isEqualTo(json(c.delta()));
    }
    assertThat(ShadowDocument.fromStoredJson(document.toStoredJson())).isEqualTo(document);
  }

  static ShadowUpdateRequest request(String singleQuoted) {
    return ShadowUpdateRequest.parse(
        singleQuoted.replace('\'', '"').getBytes(StandardCharsets.UTF_8), ShadowLimits.AWS);
  }

  /** The node as a client would read it: Jackson trees tell an int from a long, JSON does not. */
  static JsonNode reread(JsonNode node) throws Exception {
    return JSON.readTree(JSON.writeValueAsString(node));
  }

  static JsonNode json(String singleQuoted) throws Exception {
    return JSON.readTree(singleQuoted.replace('\'', '"'));
  }
}
