package io.pylon.domain.rules.sql;

/**
 * What an expression is evaluated against: the message, the environment, and the document that
 * field references read (the payload, or one element inside a nested SELECT).
 */
final class EvalContext {

  final IncomingMessage message;
  final SqlEnvironment env;
  final SqlVersion version;
  final boolean v2016;

  /** The document field references start from; Undefined for a binary payload. */
  final Object root;

  /** What {@code *} stands for here: the payload (raw bytes if binary) or the nested element. */
  final Object star;

  EvalContext(IncomingMessage message, SqlEnvironment env, SqlVersion version) {
    this.message = message;
    this.env = env;
    this.version = version;
    this.v2016 = version.atLeast2016();
    this.root = message.parsed(v2016);
    this.star = null;
  }

  private EvalContext(EvalContext parent, Object element) {
    this.message = parent.message;
    this.env = parent.env;
    this.version = parent.version;
    this.v2016 = parent.v2016;
    this.root = element;
    this.star = element;
  }

  EvalContext nested(Object element) {
    return new EvalContext(this, element);
  }

  Object star() {
    return star != null ? star : message.star(v2016);
  }

  Object decimal(java.math.BigDecimal d) {
    return Values.decimalOf(d, v2016);
  }

  Object dbl(double d) {
    return Values.doubleOf(d, v2016);
  }
}
