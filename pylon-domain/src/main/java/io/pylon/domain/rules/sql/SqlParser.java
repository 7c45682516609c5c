package io.pylon.domain.rules.sql;

import io.pylon.domain.error.SqlParseException;
import io.pylon.domain.rules.sql.SqlLexer.Kind;
import io.pylon.domain.rules.sql.SqlLexer.Token;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Recursive-descent parser for AWS IoT SQL that builds the executable {@link Expr} tree directly.
 * Precedence, loosest first: OR, AND, NOT, comparisons, {@code + -}, {@code * / %}, unary minus,
 * member access. Errors name the line and column ({@code Expected FROM at 1:24 near 'FORM'}).
 */
final class SqlParser {

  private static final Set<String> RESERVED =
      Set.of(
          "select", "from", "where", "as", "and", "or", "not", "case", "when", "then", "else",
          "end", "set");

  /** A parsed top-level statement; {@code variables} are the SET definitions in order. */
  record Statement(
      SelectList select,
      String topicFilter,
      Expr where,
      List<String> variableNames,
      Expr[] variables,
      boolean callsExternal) {}

  /** SET variables visible to the expressions being parsed (names and definitions, in order). */
  private final List<String> variableNames;

  private final List<Expr> variableDefinitions;

  private final String src;
  private final SqlVersion version;
  private final SqlLexer lexer;
  private final List<Token> ahead = new ArrayList<>(2);

  private SqlParser(String src, int start, SqlVersion version, List<String> variableNames) {
    this.src = src;
    this.version = version;
    this.lexer = new SqlLexer(src, start);
    this.variableNames = new ArrayList<>(variableNames);
    this.variableDefinitions = new ArrayList<>();
  }

  static Statement parseStatement(String sql, SqlVersion version) {
    SqlParser p = new SqlParser(sql, 0, version, List.of());
    Token t = p.next();
    if (t.isKeyword("SET")) {
      p.setClause();
      t = p.next();
    }
    if (!t.isKeyword("SELECT")) {
      throw p.expected("SELECT", t);
    }
    SelectList select = p.selectList();
    String topic = null;
    Expr where = null;
    t = p.peek();
    if (t.isKeyword("FROM")) {
      p.next();
      Token topicToken = p.next();
      if (topicToken.kind() != Kind.STRING) {
        throw p.expected("a quoted topic filter", topicToken);
      }
      if (topicToken.text().isEmpty()) {
        throw error(sql, topicToken.offset(), "Empty topic filter");
      }
      topic = topicToken.text();
      String[] levels = topic.split("/", -1);
      for (int i = 0; i < levels.length; i++) {
        String level = levels[i];
        boolean badHash = level.contains("#") && (!level.equals("#") || i != levels.length - 1);
        boolean badPlus = level.contains("+") && !level.equals("+");
        if (badHash || badPlus) {
          throw error(
              sql,
              topicToken.offset(),
              "Invalid topic filter '" + topic + "' ('+' and '#' must be whole levels, '#' last)");
        }
      }
      t = p.peek();
    }
    if (t.isKeyword("WHERE")) {
      p.next();
      where = p.expression();
      t = p.peek();
    }
    if (t.kind() != Kind.EOF) {
      throw p.expected(topic == null && where == null ? "FROM" : "end of statement", t);
    }
    return new Statement(
        select,
        topic,
        where,
        List.copyOf(p.variableNames),
        p.variableDefinitions.toArray(new Expr[0]),
        p.callsExternal);
  }

  /**
   * {@code SET @a = expr, @b = expr}: each name once, up to 64 characters; later ones see earlier.
   */
  private void setClause() {
    while (true) {
      Token name = next();
      if (name.kind() != Kind.VARIABLE) {
        throw expected("a variable (@name)", name);
      }
      if (name.text().length() > 64) {
        throw error(src, name.offset(), "Variable names are at most 64 characters");
      }
      if (variableNames.contains(name.text())) {
        throw error(src, name.offset(), "Variable @" + name.text() + " is already set");
      }
      expect("=");
      Expr definition = expression();
      variableNames.add(name.text());
      variableDefinitions.add(definition);
      if (!peek().is(",")) {
        return;
      }
      next();
    }
  }

  /** A template expression starting at {@code start}; returns it and the offset after its '}'. */
  record TemplatePart(Expr expr, int end, boolean callsExternal) {}

  static TemplatePart parseTemplateExpression(
      String text, int start, SqlVersion version, List<String> variableNames) {
    SqlParser p = new SqlParser(text, start, version, variableNames);
    Expr e = p.expression();
    Token close = p.next();
    if (!close.is("}")) {
      throw p.expected("}", close);
    }
    return new TemplatePart(e, close.offset() + 1, p.callsExternal);
  }

  // ---- tokens

  private Token peek() {
    if (ahead.isEmpty()) {
      ahead.add(lexer.next());
    }
    return ahead.get(0);
  }

  private Token peek2() {
    peek();
    if (ahead.size() < 2) {
      ahead.add(lexer.next());
    }
    return ahead.get(1);
  }

  private Token next() {
    Token t = peek();
    ahead.remove(0);
    return t;
  }

  private void expect(String punct) {
    Token t = next();
    if (!t.is(punct)) {
      throw expected("'" + punct + "'", t);
    }
  }

  private SqlParseException expected(String what, Token t) {
    return error(src, t.offset(), "Expected " + what);
  }

  static SqlParseException error(String src, int offset, String message) {
    int line = 1;
    int col = 1;
    for (int i = 0; i < offset && i < src.length(); i++) {
      if (src.charAt(i) == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    String near;
    if (offset >= src.length()) {
      near = " at end of input";
    } else {
      int end = offset;
      while (end < src.length()
          && end - offset < 20
          && !Character.isWhitespace(src.charAt(end))
          && (end == offset
              || Character.isLetterOrDigit(src.charAt(end))
              || src.charAt(end) == '_'
              || !Character.isLetterOrDigit(src.charAt(offset)))) {
        end++;
      }
      near = " near '" + src.substring(offset, Math.max(end, offset + 1)) + "'";
    }
    return new SqlParseException(message + " at " + line + ":" + col + near);
  }

  private void require2016(Token at, String feature) {
    if (!version.atLeast2016()) {
      throw error(src, at.offset(), feature + " requires SQL version 2016-03-23");
    }
  }

  // ---- SELECT lists

  private SelectList selectList() {
    Token t = peek();
    if (t.isKeyword("VALUE") && startsExpression(peek2())) {
      next();
      return SelectList.ofValue(expression());
    }
    List<SelectList.Item> items = new ArrayList<>();
    while (true) {
      Token start = peek();
      if (start.is("*")) {
        next();
        items.add(new SelectList.Item(new Expr.Star(), null));
      } else {
        Expr e = expression();
        String[] path;
        if (peek().isKeyword("AS")) {
          next();
          path = aliasPath();
        } else {
          String name = e.defaultName();
          path = new String[] {name != null ? name : "_" + (items.size() + 1)};
        }
        items.add(new SelectList.Item(e, path));
      }
      if (!peek().is(",")) {
        return SelectList.ofItems(items);
      }
      next();
    }
  }

  private boolean startsExpression(Token t) {
    if (t.kind() == Kind.EOF || t.is(",") || t.is(")")) {
      return false;
    }
    return !(t.isKeyword("FROM") || t.isKeyword("AS") || t.isKeyword("WHERE"));
  }

  private String[] aliasPath() {
    List<String> parts = new ArrayList<>();
    while (true) {
      Token t = next();
      if (t.kind() != Kind.IDENT && t.kind() != Kind.STRING) {
        throw expected("an alias", t);
      }
      parts.add(t.text());
      if (!peek().is(".")) {
        return parts.toArray(new String[0]);
      }
      next();
    }
  }

  // ---- expressions

  /** Deeper nesting than any real rule needs; refusing it keeps the parser's stack bounded. */
  private static final int MAX_DEPTH = 128;

  private int depth;

  /** Whether any ★ function (another service: Lambda, DynamoDB, secrets, shadows...) is called. */
  private boolean callsExternal;

  Expr expression() {
    if (++depth > MAX_DEPTH) {
      throw error(src, peek().offset(), "Expression nested too deeply");
    }
    Expr e = or();
    depth--;
    return e;
  }

  private Expr or() {
    Expr left = and();
    while (peek().isKeyword("OR")) {
      next();
      left = new Expr.Logical(false, left, and());
    }
    return left;
  }

  private Expr and() {
    Expr left = not();
    while (peek().isKeyword("AND")) {
      next();
      left = new Expr.Logical(true, left, not());
    }
    return left;
  }

  private Expr not() {
    if (peek().isKeyword("NOT")) {
      next();
      return new Expr.Not(nested(this::not));
    }
    return comparison();
  }

  private Expr comparison() {
    Expr left = additive();
    Token t = peek();
    Expr.CompareOp op = null;
    if (t.kind() == Kind.PUNCT) {
      for (Expr.CompareOp candidate : Expr.CompareOp.values()) {
        if (candidate.symbol.equals(t.text())) {
          op = candidate;
        }
      }
    }
    if (op == null) {
      return left;
    }
    next();
    return new Expr.Compare(op, left, additive());
  }

  private Expr additive() {
    Expr left = multiplicative();
    while (true) {
      Token t = peek();
      if (t.is("+")) {
        next();
        left = new Expr.Arithmetic(Expr.ArithOp.ADD, left, multiplicative());
      } else if (t.is("-")) {
        next();
        left = new Expr.Arithmetic(Expr.ArithOp.SUB, left, multiplicative());
      } else {
        return left;
      }
    }
  }

  private Expr multiplicative() {
    Expr left = unary();
    while (true) {
      Token t = peek();
      Expr.ArithOp op =
          t.is("*")
              ? Expr.ArithOp.MUL
              : t.is("/") ? Expr.ArithOp.DIV : t.is("%") ? Expr.ArithOp.MOD : null;
      if (op == null) {
        return left;
      }
      next();
      left = new Expr.Arithmetic(op, left, unary());
    }
  }

  private Expr unary() {
    Token t = peek();
    if (t.is("-")) {
      next();
      Token n = peek();
      if (n.kind() == Kind.NUMBER) {
        next();
        return postfix(number("-" + n.text()));
      }
      return new Expr.Negate(nested(this::unary));
    }
    if (t.is("+")) {
      next();
      return nested(this::unary);
    }
    return postfix(primary());
  }

  private Expr nested(Supplier<Expr> rule) {
    if (++depth > MAX_DEPTH) {
      throw error(src, peek().offset(), "Expression nested too deeply");
    }
    Expr e = rule.get();
    depth--;
    return e;
  }

  private Expr postfix(Expr e) {
    while (peek().is(".")) {
      next();
      Token name = next();
      if (name.kind() != Kind.IDENT) {
        throw expected("a field name", name);
      }
      if (e instanceof Expr.FieldRef f) {
        String[] path = Arrays.copyOf(f.path, f.path.length + 1);
        path[f.path.length] = name.text();
        e = new Expr.FieldRef(path);
      } else {
        e = new Expr.Member(e, name.text());
      }
    }
    return e;
  }

  private Expr primary() {
    Token t = next();
    switch (t.kind()) {
      case NUMBER:
        return number(t.text());
      case STRING:
        return new Expr.Literal(t.text());
      case EOF:
        throw error(src, t.offset(), "Expected an expression");
      case VARIABLE:
        int index = variableNames.indexOf(t.text());
        if (index < 0) {
          throw error(src, t.offset(), "Unknown variable @" + t.text());
        }
        return new Expr.Variable(t.text(), index);
      case PUNCT:
        return punctuation(t);
      default:
        return identifier(t);
    }
  }

  private Expr punctuation(Token t) {
    switch (t.text()) {
      case "(":
        if (peek().isKeyword("SELECT")) {
          require2016(peek(), "A nested SELECT");
          next();
          Expr nested = nestedSelect();
          expect(")");
          return nested;
        }
        Expr inner = expression();
        expect(")");
        return inner;
      case "*":
        return new Expr.Star();
      case "{":
        require2016(t, "An object literal");
        return objectLiteral();
      case "[":
        require2016(t, "An array literal");
        return arrayLiteral();
      default:
        throw error(src, t.offset(), "Unexpected '" + t.text() + "'");
    }
  }

  private Expr nestedSelect() {
    SelectList select = selectList();
    Token from = next();
    if (!from.isKeyword("FROM")) {
      throw expected("FROM", from);
    }
    Expr source = postfix(primary());
    Expr where = null;
    if (peek().isKeyword("WHERE")) {
      next();
      where = expression();
    }
    return new Expr.NestedSelect(select, source, where);
  }

  private Expr objectLiteral() {
    List<String> keys = new ArrayList<>();
    List<Expr> values = new ArrayList<>();
    if (peek().is("}")) {
      next();
      return new Expr.ObjectLiteral(new String[0], new Expr[0]);
    }
    while (true) {
      Token key = next();
      if (key.kind() != Kind.STRING && key.kind() != Kind.IDENT) {
        throw expected("an object key", key);
      }
      expect(":");
      keys.add(key.text());
      values.add(expression());
      Token sep = next();
      if (sep.is("}")) {
        return new Expr.ObjectLiteral(keys.toArray(new String[0]), values.toArray(new Expr[0]));
      }
      if (!sep.is(",")) {
        throw expected("',' or '}'", sep);
      }
    }
  }

  private Expr arrayLiteral() {
    List<Expr> elements = new ArrayList<>();
    if (peek().is("]")) {
      next();
      return new Expr.ArrayLiteral(new Expr[0]);
    }
    while (true) {
      elements.add(expression());
      Token sep = next();
      if (sep.is("]")) {
        return new Expr.ArrayLiteral(elements.toArray(new Expr[0]));
      }
      if (!sep.is(",")) {
        throw expected("',' or ']'", sep);
      }
    }
  }

  private Expr identifier(Token t) {
    String lower = t.text().toLowerCase(Locale.ROOT);
    if (peek().is("(")) {
      next();
      return call(t, lower);
    }
    switch (lower) {
      case "true":
        return new Expr.Literal(Boolean.TRUE);
      case "false":
        return new Expr.Literal(Boolean.FALSE);
      case "null":
        return new Expr.Literal(Values.NULL);
      case "case":
        return caseExpression();
      default:
        if (RESERVED.contains(lower)) {
          throw error(src, t.offset(), "Unexpected keyword " + t.text().toUpperCase(Locale.ROOT));
        }
        return new Expr.FieldRef(new String[] {t.text()});
    }
  }

  private Expr caseExpression() {
    Expr subject = peek().isKeyword("WHEN") ? null : expression();
    List<Expr> whens = new ArrayList<>();
    List<Expr> thens = new ArrayList<>();
    while (peek().isKeyword("WHEN")) {
      next();
      whens.add(expression());
      Token then = next();
      if (!then.isKeyword("THEN")) {
        throw expected("THEN", then);
      }
      thens.add(expression());
    }
    if (whens.isEmpty()) {
      throw expected("WHEN", peek());
    }
    Expr otherwise = null;
    if (peek().isKeyword("ELSE")) {
      next();
      otherwise = expression();
    }
    Token end = next();
    if (!end.isKeyword("END")) {
      throw expected("END", end);
    }
    return new Expr.Case(
        subject, whens.toArray(new Expr[0]), thens.toArray(new Expr[0]), otherwise);
  }

  private Expr call(Token name, String lower) {
    if (lower.equals("cast")) {
      Expr value = expression();
      Token as = next();
      if (!as.isKeyword("AS")) {
        throw expected("AS", as);
      }
      Token type = next();
      if (type.kind() != Kind.IDENT) {
        throw expected("a type name", type);
      }
      Functions.CastType target = Functions.CastType.of(type.text());
      if (target == null) {
        throw error(src, type.offset(), "Unknown type '" + type.text() + "' in cast");
      }
      if (target.since2016) {
        require2016(type, "Cast to " + type.text());
      }
      expect(")");
      return Functions.cast(value, target);
    }
    Functions.Spec spec = Functions.lookup(lower);
    if (spec == null) {
      throw error(src, name.offset(), "Unknown function '" + name.text() + "'");
    }
    callsExternal |= spec.external();
    if (spec.since2016()) {
      require2016(name, "Function " + spec.name() + "()");
    }
    List<Expr> args = new ArrayList<>();
    if (peek().is(")")) {
      next();
    } else {
      while (true) {
        args.add(expression());
        Token sep = next();
        if (sep.is(")")) {
          break;
        }
        if (!sep.is(",")) {
          throw expected("',' or ')'", sep);
        }
      }
    }
    if (spec.name().equals("decode")
        && args.size() == 6
        && args.get(1) instanceof Expr.Literal scheme
        && scheme.value instanceof String text
        && text.equalsIgnoreCase("proto")) {
      // AWS reads the Protobuf descriptor from Amazon S3, which Pylon cannot reach: say so when the
      // rule is saved rather than letting every message fail.
      throw error(
          src,
          name.offset(),
          "decode(..., 'proto', ...) is not available in Pylon: it needs a descriptor file in"
              + " Amazon S3; decode Protobuf in an action's consumer instead");
    }
    if (args.size() < spec.minArgs() || args.size() > spec.maxArgs()) {
      String expected =
          spec.minArgs() == spec.maxArgs()
              ? String.valueOf(spec.minArgs())
              : spec.maxArgs() == Integer.MAX_VALUE
                  ? "at least " + spec.minArgs()
                  : spec.minArgs() + " to " + spec.maxArgs();
      throw error(
          src,
          name.offset(),
          "Function " + spec.name() + "() takes " + expected + " argument(s), got " + args.size());
    }
    if (spec.name().equals("encode") && args.get(0) instanceof Expr.Star) {
      args.set(0, new Expr.PayloadBytes());
    }
    return new Expr.Call(spec, args.toArray(new Expr[0]));
  }

  private Expr number(String text) {
    if (text.indexOf('.') < 0 && text.indexOf('e') < 0 && text.indexOf('E') < 0) {
      return new Expr.Literal(Values.intOf(new BigInteger(text)));
    }
    return new Expr.Literal(Values.decimalOf(new BigDecimal(text), version.atLeast2016()));
  }
}
