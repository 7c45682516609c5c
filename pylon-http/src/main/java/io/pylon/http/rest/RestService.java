package io.pylon.http.rest;

import java.util.List;
import java.util.Optional;

/**
 * The three AWS IoT REST services served on the HTTPS port, with the SigV4 signing names each
 * accepts in the credential scope (which also decide between the routes iot and iot-jobs-data
 * share).
 */
public enum RestService {

  /** The control plane. botocore up to 1.29 (AWS CLI 2.9) signs execute-api, newer ones iot. */
  IOT("iot", List.of("iot", "execute-api"), "InternalFailureException"),

  /**
   * The data plane. The model signs iotdata; AWS's docs tell hand-written clients iotdevicegateway.
   */
  IOT_DATA("iot-data", List.of("iotdata", "iotdevicegateway"), "InternalFailureException"),

  /** The jobs data plane. Its model names its server error InternalServerException. */
  IOT_JOBS_DATA("iot-jobs-data", List.of("iot-jobs-data"), "InternalServerException");

  private final String id;
  private final List<String> signingNames;
  private final String internalErrorCode;

  RestService(String id, List<String> signingNames, String internalErrorCode) {
    this.id = id;
    this.signingNames = signingNames;
    this.internalErrorCode = internalErrorCode;
  }

  /** The botocore service name: {@code iot}, {@code iot-data} or {@code iot-jobs-data}. */
  public String id() {
    return id;
  }

  /** Signing names accepted in the credential scope, the preferred one first. */
  public List<String> signingNames() {
    return signingNames;
  }

  /** The error code of a server-side failure on this service. */
  public String internalErrorCode() {
    return internalErrorCode;
  }

  /** Whether devices may call this service with their client certificate instead of SigV4. */
  public boolean acceptsCertificates() {
    return this != IOT;
  }

  public static Optional<RestService> byId(String id) {
    for (RestService s : values()) {
      if (s.id.equals(id)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
