package io.pylon.domain.rules.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * An action field with {@code ${expression}} parts, such as a republish topic {@code
 * alerts/${topic(2)}}. Expressions are evaluated against the incoming message (SELECT aliases are
 * not visible); an Undefined or Null result renders as nothing, strings without quotes, objects and
 * arrays as JSON.
 */
public final class SubstitutionTemplate {

  private final String text;

  /** Alternating literal text (String) and expressions (Expr); null for a constant. */
  private final Object[] parts;

  private final SqlVersion version;
  private final Expr[] variables;
  private final boolean callsExternalFunctions;

  private SubstitutionTemplate(
      String text, Object[] parts, SqlVersion version, Expr[] variables, boolean callsExternal) {
    this.text = text;
    this.parts = parts;
    this.version = version;
    this.variables = variables;
    this.callsExternalFunctions = callsExternal;
  }

  /**
   * Compiles a template; text without {@code ${} is a constant.
   *
   * @throws SqlParseException for an expression that does not parse or an unterminated {@code ${}
   */
  public static SubstitutionTemplate compile(String text, SqlVersion version) {
    return compile(text, version, List.of(), new Expr[0]);
  }

  /**
   * Compiles a template of one rule's action: the rule's SQL version applies and its SET variables
   * ({@code ${@name}}) may be used; they are evaluated again, against the same incoming message.
   */
  public static SubstitutionTemplate compile(String text, SqlStatement statement) {
    return compile(text, statement.version(), statement.variableNames(), statement.variables());
  }

  private static SubstitutionTemplate compile(
      String text, SqlVersion version, List<String> variableNames, Expr[] variables) {
    if (text.indexOf("${") < 0) {
      return new SubstitutionTemplate(text, null, version, variables, false);
    }
    List<Object> parts = new ArrayList<>();
    boolean callsExternal = false;
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      int open = text.indexOf("${", i);
      if (open < 0) {
        literal.append(text, i, text.length());
        break;
      }
      literal.append(text, i, open);
      if (literal.length() > 0) {
        parts.add(literal.toString());
        literal.setLength(0);
      }
      SqlParser.TemplatePart part =
          SqlParser.parseTemplateExpression(text, open + 2, version, variableNames);
      parts.add(part.expr());
      callsExternal |= part.callsExternal();
      i = part.end();
    }
    if (literal.length() > 0) {
      parts.add(literal.toString());
    }
    return new SubstitutionTemplate(text, parts.toArray(), version, variables, callsExternal);
  }

  /**
   * Whether an expression calls a function AWS marks as an external call; AWS refuses those in
   * error-action templates. (A SET variable used here counts only through its own statement.)
   */
  public boolean callsExternalFunctions() {
    return callsExternalFunctions;
  }

  public boolean isConstant() {
    return parts == null;
  }

  public String text() {
    return text;
  }

  /**
   * The text with every expression's value in place.
   *
   * @throws RuleEvaluationException when a function fails in a way the error action must see
   */
  public String render(IncomingMessage message, SqlEnvironment env) {
    if (parts == null) {
      return text;
    }
    EvalContext c = new EvalContext(message, env, version, variables);
    StringBuilder sb = new StringBuilder(text.length() + 32);
    for (Object part : parts) {
      if (part instanceof String s) {
        sb.append(s);
      } else {
        String value = Values.toText(((Expr) part).eval(c));
        if (value != null) {
          sb.append(value);
        }
      }
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
