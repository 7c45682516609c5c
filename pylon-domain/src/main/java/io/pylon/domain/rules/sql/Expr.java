package io.pylon.domain.rules.sql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A compiled expression: the parser builds these nodes once, and evaluation is a walk over them
 * with field paths already split and functions already resolved.
 */
abstract class Expr {

  abstract Object eval(EvalContext c);

  /** The output key when the SELECT item has no alias; {@code null} for "use a position name". */
  String defaultName() {
    return null;
  }

  /** A literal value (numbers already in the version's number model). */
  static final class Literal extends Expr {
    final Object value;

    Literal(Object value) {
      this.value = value;
    }

    @Override
    Object eval(EvalContext c) {
      return value;
    }
  }

  /** {@code a.b.c} from the current document, resolved without any allocation. */
  static final class FieldRef extends Expr {
    final String[] path;

    FieldRef(String[] path) {
      this.path = path;
    }

    @Override
    Object eval(EvalContext c) {
      Object v = c.root;
      for (String key : path) {
        if (!(v instanceof Map<?, ?> m)) {
          return Values.UNDEFINED;
        }
        v = m.get(key);
        if (v == null) {
          return Values.UNDEFINED;
        }
      }
      return v;
    }

    @Override
    String defaultName() {
      return path[path.length - 1];
    }
  }

  /**
   * {@code expr.name} on the result of a function, a parenthesised expression or a nested query.
   */
  static final class Member extends Expr {
    final Expr base;
    final String name;

    Member(Expr base, String name) {
      this.base = base;
      this.name = name;
    }

    @Override
    Object eval(EvalContext c) {
      Object v = base.eval(c);
      if (v instanceof Map<?, ?> m) {
        Object member = m.get(name);
        return member == null ? Values.UNDEFINED : member;
      }
      return Values.UNDEFINED;
    }

    @Override
    String defaultName() {
      return name;
    }
  }

  /** {@code @name}, a SET variable, resolved to its position at compile time. */
  static final class Variable extends Expr {
    final String name;
    final int index;

    Variable(String name, int index) {
      this.name = name;
      this.index = index;
    }

    @Override
    Object eval(EvalContext c) {
      return c.variable(index);
    }

    @Override
    String defaultName() {
      return name;
    }
  }

  /** {@code *}: the whole payload (raw bytes when it is not JSON) or the current nested element. */
  static final class Star extends Expr {
    @Override
    Object eval(EvalContext c) {
      return c.star();
    }
  }

  /** {@code *} as {@code encode}'s argument: the payload bytes exactly as published. */
  static final class PayloadBytes extends Expr {
    @Override
    Object eval(EvalContext c) {
      return c.star != null ? c.star : new Values.Raw(c.message.payload());
    }
  }

  static final class Negate extends Expr {
    final Expr operand;

    Negate(Expr operand) {
      this.operand = operand;
    }

    @Override
    Object eval(EvalContext c) {
      Object v = operand.eval(c);
      if (v instanceof Long l) {
        return l == Long.MIN_VALUE ? BigInteger.valueOf(l).negate() : (Object) (-l);
      }
      if (v instanceof BigInteger b) {
        return Values.intOf(b.negate());
      }
      if (v instanceof BigDecimal d) {
        return d.negate();
      }
      if (v instanceof String s) {
        BigDecimal d = Values.parseDecimalString(s);
        return d == null ? Values.UNDEFINED : c.decimal(d.negate());
      }
      return Values.UNDEFINED;
    }
  }

  static final class Not extends Expr {
    final Expr operand;

    Not(Expr operand) {
      this.operand = operand;
    }

    @Override
    Object eval(EvalContext c) {
      Boolean b = Values.toBoolean(operand.eval(c));
      return b == null ? Values.UNDEFINED : (Object) !b;
    }
  }

  /** {@code AND}/{@code OR}: both sides must be Booleans or "true"/"false" strings. */
  static final class Logical extends Expr {
    final boolean and;
    final Expr left;
    final Expr right;

    Logical(boolean and, Expr left, Expr right) {
      this.and = and;
      this.left = left;
      this.right = right;
    }

    @Override
    Object eval(EvalContext c) {
      Boolean l = Values.toBoolean(left.eval(c));
      Boolean r = Values.toBoolean(right.eval(c));
      if (l == null || r == null) {
        return Values.UNDEFINED;
      }
      return and ? l && r : l || r;
    }
  }

  enum CompareOp {
    EQ("="),
    NE("<>"),
    LT("<"),
    LE("<="),
    GT(">"),
    GE(">=");

    final String symbol;

    CompareOp(String symbol) {
      this.symbol = symbol;
    }
  }

  static final class Compare extends Expr {
    final CompareOp op;
    final Expr left;
    final Expr right;

    Compare(CompareOp op, Expr left, Expr right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    Object eval(EvalContext c) {
      Object a = left.eval(c);
      Object b = right.eval(c);
      switch (op) {
        case EQ:
          return Values.sqlEquals(a, b);
        case NE:
          Object eq = Values.sqlEquals(a, b);
          return eq == Values.UNDEFINED ? eq : (Object) !((Boolean) eq);
        default:
          int cmp = Values.compareOrFail(a, b);
          if (cmp == Integer.MIN_VALUE) {
            return Values.UNDEFINED;
          }
          switch (op) {
            case LT:
              return cmp < 0;
            case LE:
              return cmp <= 0;
            case GT:
              return cmp > 0;
            default:
              return cmp >= 0;
          }
      }
    }
  }

  enum ArithOp {
    ADD,
    SUB,
    MUL,
    DIV,
    MOD
  }

  static final class Arithmetic extends Expr {
    final ArithOp op;
    final Expr left;
    final Expr right;

    Arithmetic(ArithOp op, Expr left, Expr right) {
      this.op = op;
      this.left = left;
      this.right = right;
    }

    @Override
    Object eval(EvalContext c) {
      return apply(op, left.eval(c), right.eval(c), c.v2016);
    }

    /** The operator table of the developer guide; shared with {@code mod()}/{@code remainder()}. */
    static Object apply(ArithOp op, Object a, Object b, boolean v2016) {
      if (op == ArithOp.ADD && (a instanceof String || b instanceof String)) {
        String x = Values.toText(a);
        String y = Values.toText(b);
        return x == null || y == null ? Values.UNDEFINED : x.concat(y);
      }
      if (a instanceof Long x && b instanceof Long y) {
        return longs(op, x, y);
      }
      Object x;
      Object y;
      if (op == ArithOp.ADD) {
        if (!Values.isNumber(a) || !Values.isNumber(b)) {
          return Values.UNDEFINED;
        }
        x = a;
        y = b;
      } else {
        x = Values.toNumber(a);
        y = Values.toNumber(b);
        if (x == null || y == null) {
          return Values.UNDEFINED;
        }
      }
      if (Values.isInt(x) && Values.isInt(y)) {
        return bigIntegers(op, Values.bigInteger(x), Values.bigInteger(y));
      }
      BigDecimal p = Values.bigDecimal(x);
      BigDecimal q = Values.bigDecimal(y);
      try {
        return Values.decimalOf(decimals(op, p, q), v2016);
      } catch (ArithmeticException outOfRange) {
        // e.g. a remainder whose quotient needs more than 34 digits, or an exponent overflow
        return Values.UNDEFINED;
      }
    }

    private static BigDecimal decimals(ArithOp op, BigDecimal p, BigDecimal q) {
      BigDecimal r;
      switch (op) {
        case ADD:
          r = p.add(q, Values.DECIMAL);
          break;
        case SUB:
          r = p.subtract(q, Values.DECIMAL);
          break;
        case MUL:
          r = p.multiply(q, Values.DECIMAL);
          break;
        case DIV:
          r = p.divide(q, Values.DECIMAL);
          break;
        default:
          r = p.remainder(q, Values.DECIMAL);
      }
      return r;
    }

    private static Object longs(ArithOp op, long x, long y) {
      try {
        switch (op) {
          case ADD:
            return Math.addExact(x, y);
          case SUB:
            return Math.subtractExact(x, y);
          case MUL:
            return Math.multiplyExact(x, y);
          case DIV:
            if (y == 0) {
              return Values.UNDEFINED;
            }
            if (x == Long.MIN_VALUE && y == -1) {
              throw new ArithmeticException();
            }
            return x / y;
          default:
            return y == 0 ? Values.UNDEFINED : (Object) (x % y);
        }
      } catch (ArithmeticException overflow) {
        return bigIntegers(op, BigInteger.valueOf(x), BigInteger.valueOf(y));
      }
    }

    private static Object bigIntegers(ArithOp op, BigInteger x, BigInteger y) {
      switch (op) {
        case ADD:
          return Values.intOf(x.add(y));
        case SUB:
          return Values.intOf(x.subtract(y));
        case MUL:
          return Values.intOf(x.multiply(y));
        case DIV:
          return y.signum() == 0 ? Values.UNDEFINED : Values.intOf(x.divide(y));
        default:
          return y.signum() == 0 ? Values.UNDEFINED : Values.intOf(x.remainder(y));
      }
    }
  }

  /**
   * {@code CASE v WHEN t THEN r ... [ELSE e] END}, compared with {@code =}; also the searched form
   * {@code CASE WHEN condition THEN r ... END} ({@code subject} null).
   */
  static final class Case extends Expr {
    final Expr subject;
    final Expr[] whens;
    final Expr[] thens;
    final Expr otherwise;

    Case(Expr subject, Expr[] whens, Expr[] thens, Expr otherwise) {
      this.subject = subject;
      this.whens = whens;
      this.thens = thens;
      this.otherwise = otherwise;
    }

    @Override
    Object eval(EvalContext c) {
      if (subject == null) {
        for (int i = 0; i < whens.length; i++) {
          if (Values.toBoolean(whens[i].eval(c)) == Boolean.TRUE) {
            return thens[i].eval(c);
          }
        }
      } else {
        Object v = subject.eval(c);
        if (v == Values.UNDEFINED) {
          return v;
        }
        for (int i = 0; i < whens.length; i++) {
          if (Values.sqlEquals(v, whens[i].eval(c)) == Boolean.TRUE) {
            return thens[i].eval(c);
          }
        }
      }
      return otherwise == null ? Values.UNDEFINED : otherwise.eval(c);
    }
  }

  /** {@code {'k': expr, ...}}; members evaluating to Undefined are left out. */
  static final class ObjectLiteral extends Expr {
    final String[] keys;
    final Expr[] values;

    ObjectLiteral(String[] keys, Expr[] values) {
      this.keys = keys;
      this.values = values;
    }

    @Override
    Object eval(EvalContext c) {
      Map<String, Object> m = new LinkedHashMap<>();
      for (int i = 0; i < keys.length; i++) {
        Object v = values[i].eval(c);
        if (v != Values.UNDEFINED) {
          m.put(keys[i], v);
        }
      }
      return m;
    }
  }

  /** {@code [expr, ...]}; Undefined elements are left out. */
  static final class ArrayLiteral extends Expr {
    final Expr[] elements;

    ArrayLiteral(Expr[] elements) {
      this.elements = elements;
    }

    @Override
    Object eval(EvalContext c) {
      List<Object> list = new ArrayList<>(elements.length);
      for (Expr e : elements) {
        Object v = e.eval(c);
        if (v != Values.UNDEFINED) {
          list.add(v);
        }
      }
      return list;
    }
  }

  /**
   * {@code (SELECT ... FROM expr [WHERE ...])}: over an array, the SELECT of every element that
   * passes WHERE, as an array; over an object, the SELECT of that object (Undefined if WHERE
   * fails).
   */
  static final class NestedSelect extends Expr {
    final SelectList select;
    final Expr from;
    final Expr where;

    NestedSelect(SelectList select, Expr from, Expr where) {
      this.select = select;
      this.from = from;
      this.where = where;
    }

    @Override
    Object eval(EvalContext c) {
      Object source = from.eval(c);
      if (source instanceof List<?> list) {
        List<Object> out = new ArrayList<>(list.size());
        for (Object element : list) {
          Object r = one(c.nested(element));
          if (r != Values.UNDEFINED) {
            out.add(r);
          }
        }
        return out;
      }
      if (source instanceof Map) {
        return one(c.nested(source));
      }
      return Values.UNDEFINED;
    }

    private Object one(EvalContext element) {
      if (where != null && Values.toBoolean(where.eval(element)) != Boolean.TRUE) {
        return Values.UNDEFINED;
      }
      return select.evaluate(element);
    }
  }

  /** A built-in function with its arguments; the function was resolved at compile time. */
  static final class Call extends Expr {
    final Functions.Spec spec;
    final Expr[] args;
    private static final Object[] NO_ARGS = new Object[0];

    Call(Functions.Spec spec, Expr[] args) {
      this.spec = spec;
      this.args = args;
    }

    @Override
    Object eval(EvalContext c) {
      Object[] values = args.length == 0 ? NO_ARGS : new Object[args.length];
      for (int i = 0; i < args.length; i++) {
        values[i] = args[i].eval(c);
      }
      Object r = spec.impl().apply(c, values);
      return r == null ? Values.UNDEFINED : r;
    }

    @Override
    String defaultName() {
      return spec.name();
    }
  }
}
