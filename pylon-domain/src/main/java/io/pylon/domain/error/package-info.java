/**
 * The ways a domain operation fails. Each exception corresponds to one AWS error shape of the same
 * name, and carries a message written for the caller; the HTTP module turns them into AWS error
 * responses ({@code io.pylon.http.rest.AwsErrors}), the MQTT adapters into reserved-topic error
 * documents. Anything else escaping a service is a bug and becomes an internal failure.
 */
package io.pylon.domain.error;
