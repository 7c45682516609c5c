package io.pylon.domain.shadow;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Which shadow: a thing name and a shadow name, empty for the classic (unnamed) shadow. Things need
 * not be registered: AWS keeps shadows for any valid thing name.
 *
 * @param thingName {@code [a-zA-Z0-9:_-]{1,128}}
 * @param shadowName {@code [$a-zA-Z0-9:_-]{1,64}}, or empty for the classic shadow
 */
public record ShadowId(String thingName, String shadowName) {

  private static final Pattern THING = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
  private static final Pattern SHADOW = Pattern.compile("[$a-zA-Z0-9:_-]{1,64}");

  /** Validates both names; an invalid one is a 400 as AWS answers it. */
  public ShadowId {
    if (thingName == null || !THING.matcher(thingName).matches()) {
      throw new ShadowException(ShadowException.BAD_REQUEST, "Invalid thing name");
    }
    if (shadowName == null) {
      shadowName = "";
    }
    if (!shadowName.isEmpty()
        && (!SHADOW.matcher(shadowName).matches()
            || shadowName.getBytes(StandardCharsets.UTF_8).length > 64)) {
      throw new ShadowException(ShadowException.BAD_REQUEST, "Invalid shadow name");
    }
  }

  public static ShadowId classic(String thingName) {
    return new ShadowId(thingName, "");
  }

  public static ShadowId named(String thingName, String shadowName) {
    return new ShadowId(thingName, shadowName);
  }

  public boolean isClassic() {
    return shadowName.isEmpty();
  }

  /** The name AWS quotes in "No shadow exists with name": the shadow's, else the thing's. */
  public String displayName() {
    return isClassic() ? thingName : shadowName;
  }

  /**
   * The topic prefix of this shadow: {@code $aws/things/T/shadow} or {@code
   * $aws/things/T/shadow/name/S}.
   */
  public String topicPrefix() {
    String classic = "$aws/things/" + thingName + "/shadow";
    return isClassic() ? classic : classic + "/name/" + shadowName;
  }

  /** The policy resource after {@code arn:aws:iot:region:account:}: {@code thing/T[/S]}. */
  public String policyResource() {
    return isClassic() ? "thing/" + thingName : "thing/" + thingName + "/" + shadowName;
  }

  @Override
  public String toString() {
    return isClassic() ? thingName : thingName + "/" + shadowName;
  }
}
