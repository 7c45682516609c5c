package io.pylon.domain.registry;

/** How a principal is attached to a thing, by the AWS enum names. */
public enum ThingPrincipalType {
  /** The principal is attached to this thing only. */
  EXCLUSIVE_THING,
  /** The principal may be attached to other things too (the default). */
  NON_EXCLUSIVE_THING
}
