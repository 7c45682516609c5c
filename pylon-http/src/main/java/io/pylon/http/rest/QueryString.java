package io.pylon.http.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A raw query string as parameters: names and values percent-decoded, repeated names kept in order
 * (AWS lists travel as repeated keys), a name without {@code =} has the empty value.
 */
final class QueryString {

  private QueryString() {}

  static Map<String, List<String>> parse(String rawQuery) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = PercentEncoding.decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : PercentEncoding.decode(pair.substring(eq + 1));
      params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    params.replaceAll((k, v) -> List.copyOf(v));
    return params;
  }
}
