package io.pylon.http.rest;

/**
 * A group of operation handlers, usually one per domain service ({@code ThingsApi}, {@code
 * PoliciesApi}, ...), registered by AWS operation name. The route (method, path template, signing
 * service) comes from the route catalog, so a handler only names its operation.
 */
public interface RestApi {

  void register(Operations operations);

  /** Where handlers are registered. */
  interface Operations {

    /**
     * Serves {@code operation} of {@code service} ({@code iot}, {@code iot-data} or {@code
     * iot-jobs-data}) with {@code handler}.
     *
     * @throws IllegalArgumentException if the catalog has no such operation or it is taken
     */
    void on(String service, String operation, RestOperation handler);
  }
}
