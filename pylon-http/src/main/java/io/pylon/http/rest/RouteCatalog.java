package io.pylon.http.rest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every route of iot, iot-data and iot-jobs-data, whether Pylon serves it yet or not, so that an
 * unserved operation is answered by name rather than as an unknown path. Loaded from {@code
 * routes.tsv} beside this class (columns service, operation, method, requestUri, priority).
 */
public final class RouteCatalog {

  private static final String RESOURCE = "routes.tsv";

  private final List<Route> routes;
  private final Map<String, Route> byOperation;

  RouteCatalog(List<Route> routes) {
    this.routes = List.copyOf(routes);
    Map<String, Route> index = new LinkedHashMap<>();
    for (Route r : routes) {
      if (index.put(key(r.service(), r.operation()), r) != null) {
        throw new IllegalArgumentException("operation listed twice: " + r);
      }
    }
    this.byOperation = index;
  }

  /** The catalog shipped with Pylon. */
  public static RouteCatalog aws() {
    try (InputStream in = RouteCatalog.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("route catalog " + RESOURCE + " is missing");
      }
      return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the route catalog", e);
    }
  }

  static RouteCatalog parse(BufferedReader reader) throws IOException {
    List<Route> routes = new ArrayList<>();
    boolean header = true;
    String line;
    int number = 0;
    while ((line = reader.readLine()) != null) {
      number++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      if (header) {
        header = false;
        continue;
      }
      String[] f = line.split("\t", -1);
      if (f.length < 5) {
        throw new IllegalStateException(RESOURCE + ":" + number + ": expected 5 columns");
      }
      String where = RESOURCE + ":" + number;
      RestService service =
          RestService.byId(f[0])
              .orElseThrow(() -> new IllegalStateException(where + ": unknown service " + f[0]));
      routes.add(new Route(service, f[1], f[2], PathTemplate.parse(f[3]), f[4]));
    }
    return new RouteCatalog(routes);
  }

  public List<Route> routes() {
    return routes;
  }

  public Optional<Route> route(RestService service, String operation) {
    return Optional.ofNullable(byOperation.get(key(service, operation)));
  }

  /**
   * The routes of {@code method} that match {@code rawPath}, most specific only: usually one, two
   * where iot and iot-jobs-data share a route (the caller decides by signing service), none for an
   * unknown path.
   */
  public List<RouteMatch> match(String method, String rawPath) {
    List<String> segments = PathTemplate.split(rawPath);
    List<RouteMatch> matches = new ArrayList<>(2);
    for (Route r : routes) {
      if (r.method().equals(method)) {
        r.template().match(segments).ifPresent(labels -> matches.add(new RouteMatch(r, labels)));
      }
    }
    if (matches.size() <= 1) {
      return matches;
    }
    Comparator<RouteMatch> specificity =
        (a, b) -> a.route().template().compareSpecificity(b.route().template());
    matches.sort(specificity);
    RouteMatch best = matches.get(0);
    matches.removeIf(m -> specificity.compare(m, best) != 0);
    return matches;
  }

  private static String key(RestService service, String operation) {
    return service.id() + ":" + operation;
  }
}
