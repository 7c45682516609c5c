package io.pylon.http.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request URI template of the AWS models, such as {@code /things/{thingName}/jobs/$next} or
 * {@code /destinations/{arn+}}, matched against a raw (still percent-encoded) path.
 *
 * <p>Matching works on the raw segments so that an encoded slash ({@code %2F}) stays inside its
 * label; each label is decoded afterwards. Literal segments are compared decoded, so {@code $next}
 * also matches {@code %24next}. A greedy label ({@code {name+}}) takes the rest of the path,
 * slashes included, and must be last.
 */
public final class PathTemplate {

  private sealed interface Segment {}

  private record Literal(String text) implements Segment {}

  private record Label(String name) implements Segment {}

  private record Greedy(String name) implements Segment {}

  private final String text;
  private final List<Segment> segments;

  private PathTemplate(String text, List<Segment> segments) {
    this.text = text;
    this.segments = segments;
  }

  /** Parses a template; labels must fill whole segments, as in every AWS IoT route. */
  public static PathTemplate parse(String template) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a path template starts with '/': " + template);
    }
    List<Segment> segments = new ArrayList<>();
    List<String> parts = split(template);
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      if (part.startsWith("{") && part.endsWith("}")) {
        String name = part.substring(1, part.length() - 1);
        if (name.endsWith("+")) {
          if (i != parts.size() - 1) {
            throw new IllegalArgumentException("a greedy label must be last: " + template);
          }
          segments.add(new Greedy(name.substring(0, name.length() - 1)));
        } else {
          segments.add(new Label(name));
        }
      } else if (part.contains("{") || part.contains("}")) {
        throw new IllegalArgumentException("a label must fill its segment: " + template);
      } else {
        segments.add(new Literal(part));
      }
    }
    return new PathTemplate(template, List.copyOf(segments));
  }

  /** Segments of a raw path: {@code /} is {@code []}, {@code /a/b} is {@code [a, b]}. */
  static List<String> split(String rawPath) {
    String p = rawPath.startsWith("/") ? rawPath.substring(1) : rawPath;
    if (p.isEmpty()) {
      return List.of();
    }
    return List.of(p.split("/", -1));
  }

  /**
   * The decoded labels if {@code rawSegments} (from {@link #split}) match this template. Labels
   * must not be empty, as the models require at least one character for every label.
   */
  public Optional<Map<String, String>> match(List<String> rawSegments) {
    Map<String, String> labels = new LinkedHashMap<>();
    int n = segments.size();
    for (int i = 0; i < n; i++) {
      Segment segment = segments.get(i);
      if (segment instanceof Greedy greedy) {
        if (rawSegments.size() <= i) {
          return Optional.empty();
        }
        String rest = String.join("/", rawSegments.subList(i, rawSegments.size()));
        if (rest.isEmpty()) {
          return Optional.empty();
        }
        labels.put(greedy.name(), PercentEncoding.decode(rest));
        return Optional.of(labels);
      }
      if (i >= rawSegments.size()) {
        return Optional.empty();
      }
      String raw = rawSegments.get(i);
      if (segment instanceof Literal literal) {
        if (!literal.text().equals(PercentEncoding.decode(raw))) {
          return Optional.empty();
        }
      } else if (segment instanceof Label label) {
        if (raw.isEmpty()) {
          return Optional.empty();
        }
        labels.put(label.name(), PercentEncoding.decode(raw));
      }
    }
    return rawSegments.size() == n ? Optional.of(labels) : Optional.empty();
  }

  /**
   * Orders templates that match the same path: literal before label before greedy, segment by
   * segment, so the most specific one wins. Negative if this one is more specific.
   */
  int compareSpecificity(PathTemplate other) {
    int n = Math.min(segments.size(), other.segments.size());
    for (int i = 0; i < n; i++) {
      int c = Integer.compare(rank(segments.get(i)), rank(other.segments.get(i)));
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static int rank(Segment s) {
    if (s instanceof Literal) {
      return 0;
    }
    return s instanceof Label ? 1 : 2;
  }

  @Override
  public String toString() {
    return text;
  }
}
