/**
 * AWS restJson on one port: the catalog of AWS IoT routes (iot, iot-data, iot-jobs-data), routing
 * of a raw request path to an operation, the request and response values that operation handlers
 * see, and the one place where domain exceptions become AWS error responses. Handlers ({@code
 * XxxApi} classes in the service packages beside this one) register by operation name through
 * {@link RestApi}; they never see Netty.
 */
package io.pylon.http.rest;
