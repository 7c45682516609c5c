package io.pylon.domain.policy.language;

/** What a statement does when it matches: grant, or refuse whatever else grants. */
public enum Effect {
  ALLOW("Allow"),
  DENY("Deny");

  private final String jsonName;

  Effect(String jsonName) {
    this.jsonName = jsonName;
  }

  /** The spelling in policy documents: {@code Allow} or {@code Deny}. */
  public String jsonName() {
    return jsonName;
  }
}
