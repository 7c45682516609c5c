package io.pylon.domain.policy.language;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A resource pattern or condition value as written, split once at parse time into segments
 * (between {@code *}) of pieces: literal text, {@code ?}, and policy variables. {@link #bind}
 * substitutes the variables from a context and yields a {@link Glob}; a template without
 * variables carries its Glob ready-made, so binding it costs nothing.
 *
 * <p>Escapes {@code ${*}}, {@code ${?}}, {@code ${$}} (IAM's spelling) and {@code $(*)}, {@code
 * $(?)}, {@code $($)} (the IoT guide's) stand for the literal character. A {@code ${} without a
 * closing brace is literal text. Substituted values are literal: a client ID of {@code +} is the
 * character {@code +}, never a wildcard.
 */
final class Template {

  private static final int LITERAL = 0;
  private static final int SINGLE_CHAR = 1;
  private static final int VARIABLE = 2;

  private record Piece(int kind, String literal, VariableRef variable) {}

  private final String text;
  private final List<List<Piece>> segments;
  private final boolean ignoreCase;
  private final Glob constant;

  private Template(String text, List<List<Piece>> segments, boolean ignoreCase) {
    this.text = text;
    this.segments = segments;
    this.ignoreCase = ignoreCase;
    boolean hasVariables =
        segments.stream().flatMap(List::stream).anyMatch(p -> p.kind() == VARIABLE);
    this.constant = hasVariables ? null : bindPieces(null, null);
  }

  /**
   * @param wildcards whether {@code *} and {@code ?} are wildcards (false for StringEquals values)
   * @param variables whether {@code ${...}} is substituted (false for 2008-10-17 documents)
   */
  static Template compile(String text, boolean wildcards, boolean variables, boolean ignoreCase) {
    List<List<Piece>> segments = new ArrayList<>();
    List<Piece> current = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (variables && c == '$' && i + 1 < text.length()) {
        char open = text.charAt(i + 1);
        if (open == '('
            && i + 3 < text.length()
            && text.charAt(i + 3) == ')'
            && isEscapable(text.charAt(i + 2))) {
          literal.append(text.charAt(i + 2));
          i += 4;
          continue;
        }
        int close = open == '{' ? text.indexOf('}', i + 2) : -1;
        if (close > 0) {
          String name = text.substring(i + 2, close);
          if (name.length() == 1 && isEscapable(name.charAt(0))) {
            literal.append(name.charAt(0));
          } else {
            flush(literal, current);
            current.add(new Piece(VARIABLE, null, VariableRef.parse(name)));
          }
          i = close + 1;
          continue;
        }
      }
      if (wildcards && c == '*') {
        flush(literal, current);
        segments.add(List.copyOf(current));
        current.clear();
      } else if (wildcards && c == '?') {
        flush(literal, current);
        current.add(new Piece(SINGLE_CHAR, null, null));
      } else {
        literal.append(c);
      }
      i++;
    }
    flush(literal, current);
    segments.add(List.copyOf(current));
    return new Template(text, List.copyOf(segments), ignoreCase);
  }

  private static boolean isEscapable(char c) {
    return c == '*' || c == '?' || c == '$';
  }

  private static void flush(StringBuilder literal, List<Piece> current) {
    if (!literal.isEmpty()) {
      current.add(new Piece(LITERAL, literal.toString(), null));
      literal.setLength(0);
    }
  }

  boolean hasVariables() {
    return constant == null;
  }

  String text() {
    return text;
  }

  /**
   * The pattern with the context's values in place, or {@link Glob#NEVER} when a variable is
   * unresolved (its name then goes to {@code missing}, when given).
   */
  Glob bind(PolicyContext context, Collection<String> missing) {
    return constant != null ? constant : bindPieces(context, missing);
  }

  /** The variables this template refers to. */
  void variables(Collection<VariableRef> out) {
    for (List<Piece> segment : segments) {
      for (Piece piece : segment) {
        if (piece.kind() == VARIABLE) {
          out.add(piece.variable());
        }
      }
    }
  }

  private Glob bindPieces(PolicyContext context, Collection<String> missing) {
    String[] texts = new String[segments.size()];
    boolean[][] masks = new boolean[segments.size()][];
    boolean unresolved = false;
    for (int s = 0; s < texts.length; s++) {
      StringBuilder out = new StringBuilder();
      List<Integer> singles = null;
      for (Piece piece : segments.get(s)) {
        switch (piece.kind()) {
          case LITERAL -> out.append(piece.literal());
          case SINGLE_CHAR -> {
            if (singles == null) {
              singles = new ArrayList<>();
            }
            singles.add(out.length());
            out.append('?');
          }
          default -> {
            String value = piece.variable().single(context);
            if (value == null) {
              unresolved = true;
              if (missing != null) {
                missing.add(piece.variable().name());
              }
            } else {
              out.append(value);
            }
          }
        }
      }
      texts[s] = out.toString();
      if (singles != null) {
        masks[s] = new boolean[out.length()];
        for (int at : singles) {
          masks[s][at] = true;
        }
      }
    }
    if (unresolved) {
      return Glob.NEVER;
    }
    if (texts.length == 2 && texts[0].isEmpty() && texts[1].isEmpty()) {
      return Glob.ANYTHING;
    }
    return Glob.of(texts, masks, ignoreCase);
  }

  @Override
  public String toString() {
    return text;
  }
}
