/**
 * The rule actions Pylon runs itself: {@code republish} into its own broker, {@code http} to a
 * confirmed destination, {@code lambda} through the Lambda Invoke API, and the placeholder for
 * actions this version does not run yet (each run fails to the error action, never silently).
 */
package io.pylon.server.rules.action;
