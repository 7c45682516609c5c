/**
 * AWS IoT SQL, the language of topic rules: compiling a rule's statement ({@link
 * io.pylon.domain.rules.sql.SqlStatement}) and the {@code ${expression}} substitution templates of
 * its actions ({@link io.pylon.domain.rules.sql.SubstitutionTemplate}), and evaluating them against
 * one published message ({@link io.pylon.domain.rules.sql.IncomingMessage}).
 *
 * <p>Owns the grammar (SELECT list with {@code *}, aliases and dotted aliases, {@code VALUE}, FROM
 * topic filter, WHERE, CASE, object and array literals, nested SELECT over arrays), the three
 * versions ({@link io.pylon.domain.rules.sql.SqlVersion}), the type model with AWS's implicit
 * conversions and Undefined rules, the operators and every built-in function of the developer
 * guide. Functions that reach outside the message go through {@link
 * io.pylon.domain.rules.sql.SqlEnvironment}; those calling AWS services Pylon does not have throw
 * {@link io.pylon.domain.rules.sql.RuleEvaluationException} so the rule's error action runs.
 *
 * <p>Speed: statements compile into a tree of evaluator nodes with field paths split and functions
 * resolved; a message's payload is parsed once by a purpose-built JSON reader however many rules
 * see it, and outputs are written straight to UTF-8 JSON. Which rules a message reaches, actions
 * and storage of rules belong elsewhere.
 */
package io.pylon.domain.rules.sql;
