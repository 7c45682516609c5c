package io.pylon.http.rest;

/**
 * One AWS operation's handler. Runs on the HTTP executor, may block on storage, and fails by
 * throwing a {@link io.pylon.domain.error.DomainException}, which the router turns into the AWS
 * error response.
 */
@FunctionalInterface
public interface RestOperation {

  RestResponse handle(RestRequest request);
}
