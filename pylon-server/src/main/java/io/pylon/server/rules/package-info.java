/**
 * The server's side of the rules control plane: {@link
 * io.pylon.server.rules.HttpDestinationConfirmations} posts the confirmation requests of topic rule
 * destinations, and {@link io.pylon.server.rules.SelectFromSqlCheck} stands in for the SQL compiler
 * when rules are saved, until the compiler is wired in its place.
 */
package io.pylon.server.rules;
