package io.pylon.domain.rules.sql;

/** Splits SQL text into tokens, each knowing its offset for error messages. */
final class SqlLexer {

  enum Kind {
    IDENT,
    /** {@code @name}; the text is the name without {@code @}. */
    VARIABLE,
    NUMBER,
    STRING,
    PUNCT,
    EOF
  }

  record Token(Kind kind, String text, int offset) {
    boolean is(String punct) {
      return kind == Kind.PUNCT && text.equals(punct);
    }

    /** A keyword is an identifier compared case-insensitively. */
    boolean isKeyword(String keyword) {
      return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
    }
  }

  private final String src;
  private int pos;

  SqlLexer(String src, int start) {
    this.src = src;
    this.pos = start;
  }

  Token next() {
    while (pos < src.length() && Character.isWhitespace(src.charAt(pos))) {
      pos++;
    }
    if (pos >= src.length()) {
      return new Token(Kind.EOF, "", pos);
    }
    int start = pos;
    char c = src.charAt(pos);
    if (Character.isLetter(c) || c == '_') {
      pos++;
      while (pos < src.length()
          && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
        pos++;
      }
      return new Token(Kind.IDENT, src.substring(start, pos), start);
    }
    if (c >= '0' && c <= '9') {
      return number(start);
    }
    if (c == '@') {
      pos++;
      while (pos < src.length()
          && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
        pos++;
      }
      if (pos == start + 1) {
        throw SqlParser.error(src, start, "Expected a variable name after '@'");
      }
      return new Token(Kind.VARIABLE, src.substring(start + 1, pos), start);
    }
    if (c == '\'' || c == '"') {
      return string(start, c);
    }
    if (c == '<' && pos + 1 < src.length()) {
      char d = src.charAt(pos + 1);
      if (d == '>' || d == '=') {
        pos += 2;
        return new Token(Kind.PUNCT, src.substring(start, pos), start);
      }
    }
    if (c == '>' && pos + 1 < src.length() && src.charAt(pos + 1) == '=') {
      pos += 2;
      return new Token(Kind.PUNCT, ">=", start);
    }
    if ("=<>+-*/%(),.{}[]:".indexOf(c) >= 0) {
      pos++;
      return new Token(Kind.PUNCT, String.valueOf(c), start);
    }
    throw SqlParser.error(src, start, "Unexpected character '" + c + "'");
  }

  private Token number(int start) {
    while (pos < src.length() && isDigit(src.charAt(pos))) {
      pos++;
    }
    if (pos + 1 < src.length() && src.charAt(pos) == '.' && isDigit(src.charAt(pos + 1))) {
      pos++;
      while (pos < src.length() && isDigit(src.charAt(pos))) {
        pos++;
      }
    }
    if (pos < src.length() && (src.charAt(pos) == 'e' || src.charAt(pos) == 'E')) {
      int save = pos;
      pos++;
      if (pos < src.length() && (src.charAt(pos) == '-' || src.charAt(pos) == '+')) {
        pos++;
      }
      if (pos < src.length() && isDigit(src.charAt(pos))) {
        while (pos < src.length() && isDigit(src.charAt(pos))) {
          pos++;
        }
      } else {
        pos = save;
      }
    }
    if (pos < src.length() && (Character.isLetter(src.charAt(pos)) || src.charAt(pos) == '_')) {
      throw SqlParser.error(src, start, "Malformed number");
    }
    return new Token(Kind.NUMBER, src.substring(start, pos), start);
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /**
   * A quoted string. Only the quote itself can be escaped (doubled, or after a backslash); other
   * backslashes stay, so regular expressions such as {@code '\d+'} keep theirs.
   */
  private Token string(int start, char quote) {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (c == '\\' && pos + 1 < src.length() && src.charAt(pos + 1) == quote) {
        sb.append(quote);
        pos += 2;
      } else if (c == quote) {
        if (pos + 1 < src.length() && src.charAt(pos + 1) == quote) {
          sb.append(quote);
          pos += 2;
        } else {
          pos++;
          return new Token(Kind.STRING, sb.toString(), start);
        }
      } else {
        sb.append(c);
        pos++;
      }
    }
    throw SqlParser.error(src, start, "Unterminated string");
  }
}
