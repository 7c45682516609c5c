/**
 * AWS restJson on one port: the catalog of AWS IoT routes (iot, iot-data, iot-jobs-data), routing
 * of a raw request path to an operation, authentication of the caller (SigV4 or a TLS client
 * certificate), the request and response values that operation handlers see, and the one place
 * where domain exceptions become AWS error responses ({@link io.pylon.http.rest.AwsErrors}).
 * Handlers ({@code XxxApi} classes in the service packages beside this one) register by operation
 * name through {@link io.pylon.http.rest.RestApi}; they never see Netty. {@link
 * io.pylon.http.rest.RestRouter} is the entry point the server edge calls.
 */
package io.pylon.http.rest;
