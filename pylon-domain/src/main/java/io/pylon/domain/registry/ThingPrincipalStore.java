package io.pylon.domain.registry;

import io.pylon.domain.Page;
import io.pylon.domain.PageRequest;
import java.util.List;
import java.util.Optional;

/** Where the attachments of principals to things are kept. */
public interface ThingPrincipalStore {

  /** Stores the attachment, replacing the type of an existing one of the same pair. */
  void attach(ThingPrincipal attachment);

  /** False if the principal was not attached to the thing. */
  boolean detach(String thingName, String principal);

  /** The principals attached to a thing, ascending by principal. */
  Page<ThingPrincipal> ofThing(
      String thingName, Optional<ThingPrincipalType> type, PageRequest page);

  /** The things a principal is attached to, ascending by thing name. */
  Page<ThingPrincipal> ofPrincipal(
      String principal, Optional<ThingPrincipalType> type, PageRequest page);

  /** Every attachment of a principal, ascending by thing name (at most a few per principal). */
  List<ThingPrincipal> allOfPrincipal(String principal);

  boolean thingHasPrincipals(String thingName);
}
