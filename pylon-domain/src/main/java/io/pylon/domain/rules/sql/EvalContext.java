package io.pylon.domain.rules.sql;

import java.math.BigDecimal;

/**
 * What an expression is evaluated against: the message, the environment, the document that field
 * references read (the payload, or one element inside a nested SELECT), and the statement's SET
 * variables, each computed on first use.
 */
final class EvalContext {

  final IncomingMessage message;
  final SqlEnvironment env;
  final SqlVersion version;
  final boolean v2016;

  /** The document field references start from; Undefined for a binary payload. */
  final Object root;

  /** What {@code *} stands for inside a nested SELECT (the element); null at the top level. */
  final Object star;

  /** The top-level context, against which SET variables are evaluated. */
  private final EvalContext top;

  private final Expr[] variableDefinitions;
  private Object[] variableValues;

  EvalContext(
      IncomingMessage message, SqlEnvironment env, SqlVersion version, Expr[] variableDefinitions) {
    this.message = message;
    this.env = env;
    this.version = version;
    this.v2016 = version.atLeast2016();
    this.root = message.parsed(v2016);
    this.star = null;
    this.top = this;
    this.variableDefinitions = variableDefinitions;
  }

  private EvalContext(EvalContext parent, Object element) {
    this.message = parent.message;
    this.env = parent.env;
    this.version = parent.version;
    this.v2016 = parent.v2016;
    this.root = element;
    this.star = element;
    this.top = parent.top;
    this.variableDefinitions = null;
  }

  EvalContext nested(Object element) {
    return new EvalContext(this, element);
  }

  Object star() {
    return star != null ? star : message.star(v2016);
  }

  /** A SET variable's value; definitions only refer to earlier variables, so this terminates. */
  Object variable(int index) {
    EvalContext t = top;
    if (t.variableValues == null) {
      t.variableValues = new Object[t.variableDefinitions.length];
    }
    Object v = t.variableValues[index];
    if (v == null) {
      v = t.variableDefinitions[index].eval(t);
      t.variableValues[index] = v;
    }
    return v;
  }

  Object decimal(BigDecimal d) {
    return Values.decimalOf(d, v2016);
  }

  Object dbl(double d) {
    return Values.doubleOf(d, v2016);
  }
}
