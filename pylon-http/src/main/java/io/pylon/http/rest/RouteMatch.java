package io.pylon.http.rest;

import java.util.Map;

/**
 * A route that matches a request path, with its decoded labels.
 *
 * @param route the matching route
 * @param labels label name to decoded value
 */
public record RouteMatch(Route route, Map<String, String> labels) {

  public RouteMatch {
    labels = Map.copyOf(labels);
  }
}
