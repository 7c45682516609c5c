package io.pylon.http.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pylon.domain.error.DomainException;
import io.pylon.domain.error.ResourceAlreadyExistsException;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become AWS error responses: status, {@code x-amzn-ErrorType} header,
 * and a JSON body with {@code __type}, {@code message} and the error shape's extra members.
 *
 * <p>A {@link DomainException} is named after its AWS error shape, so its class name is the error
 * code; the HTTP status comes from the shape's {@code httpStatusCode} in the service's model, which
 * differs between services (ThrottlingException is 400 on iot but 429 on the data planes). A domain
 * exception the service's model lacks is translated where the service has an equivalent (a version
 * conflict is iot-data's ConflictException) and otherwise keeps its name with the control plane's
 * status, or 400. Anything else is a bug: 500 with the service's internal error code, a log line
 * naming the operation, and no detail for the client.
 */
public final class AwsErrors {

  private static final Logger log = LoggerFactory.getLogger(AwsErrors.class);

  /** Error shape name to HTTP status, from each service's botocore model. */
  private static final Map<RestService, Map<String, Integer>> STATUS = statusTables();

  /** Domain exception names a service models under another name. */
  private static final Map<RestService, Map<String, String>> ALIASES =
      new EnumMap<>(
          Map.of(
              RestService.IOT,
              Map.of(),
              RestService.IOT_DATA,
              Map.of(
                  "VersionConflictException", "ConflictException",
                  "ConflictingResourceUpdateException", "ConflictException"),
              RestService.IOT_JOBS_DATA,
              Map.of("VersionConflictException", "InvalidStateTransitionException")));

  private AwsErrors() {}

  /**
   * The response for {@code failure} thrown by {@code operation} of {@code service}. Domain
   * exceptions become their AWS error; anything else is logged here and answered as an internal
   * failure.
   */
  public static RestResponse of(RestService service, String operation, Throwable failure) {
    if (failure instanceof DomainException domain) {
      String code = code(service, domain);
      ObjectNode body = body(code, domain.getMessage());
      if (domain instanceof ResourceAlreadyExistsException exists) {
        exists.resourceId().ifPresent(id -> body.put("resourceId", id));
        exists.resourceArn().ifPresent(arn -> body.put("resourceArn", arn));
      }
      return response(status(service, code), code, body);
    }
    log.error("{} {} failed", service.id(), operation, failure);
    String code = service.internalErrorCode();
    return error(500, code, "An internal error occurred while processing " + operation + ".");
  }

  /** An AWS-shaped error response with {@code __type} and {@code message}. */
  public static RestResponse error(int status, String code, String message) {
    return response(status, code, body(code, message));
  }

  /** The AWS error code {@code failure} has on {@code service}. */
  public static String code(RestService service, DomainException failure) {
    String name = failure.getClass().getSimpleName();
    return ALIASES.get(service).getOrDefault(name, name);
  }

  /**
   * The HTTP status of error shape {@code code} on {@code service}: the service's own if it models
   * the shape, else the control plane's, else 400 (a client error that SDKs do not retry).
   */
  public static int status(RestService service, String code) {
    Integer own = STATUS.get(service).get(code);
    if (own != null) {
      return own;
    }
    return STATUS.get(RestService.IOT).getOrDefault(code, 400);
  }

  private static ObjectNode body(String code, String message) {
    ObjectNode body = RestJson.object();
    body.put("__type", code);
    body.put("message", message == null ? code : message);
    return body;
  }

  private static RestResponse response(int status, String code, ObjectNode body) {
    return new RestResponse(
        status, "application/json", Map.of("x-amzn-ErrorType", code), RestJson.bytes(body));
  }

  private static Map<RestService, Map<String, Integer>> statusTables() {
    Map<String, Integer> iot = new HashMap<>();
    for (String code :
        new String[] {
          "InvalidRequestException",
          "ThrottlingException", // sic: 400 in the iot model
          "CertificateValidationException",
          "MalformedPolicyException",
          "SqlParseException",
          "RegistrationCodeValidationException",
          "ResourceRegistrationFailureException",
          "IndexNotReadyException",
          "InvalidQueryException",
          "InvalidAggregationException",
          "InvalidResponseException",
          "TaskAlreadyExistsException",
          "ValidationException"
        }) {
      iot.put(code, 400);
    }
    iot.put("UnauthorizedException", 401);
    iot.put("ServiceQuotaExceededException", 402);
    iot.put("ResourceNotFoundException", 404);
    iot.put("NotConfiguredException", 404);
    iot.put("CertificateStateException", 406);
    for (String code :
        new String[] {
          "ResourceAlreadyExistsException",
          "ConflictException",
          "ConflictingResourceUpdateException",
          "DeleteConflictException",
          "VersionConflictException",
          "VersionsLimitExceededException",
          "InvalidStateTransitionException",
          "CertificateConflictException",
          "TransferConflictException"
        }) {
      iot.put(code, 409);
    }
    iot.put("LimitExceededException", 410);
    iot.put("TransferAlreadyCompletedException", 410);
    iot.put("InternalException", 500);
    iot.put("InternalFailureException", 500);
    iot.put("InternalServerException", 500);
    iot.put("ServiceUnavailableException", 503);

    Map<String, Integer> data =
        Map.ofEntries(
            Map.entry("InvalidRequestException", 400),
            Map.entry("UnauthorizedException", 401),
            Map.entry("ForbiddenException", 403),
            Map.entry("ResourceNotFoundException", 404),
            Map.entry("MethodNotAllowedException", 405),
            Map.entry("ConflictException", 409),
            Map.entry("RequestEntityTooLargeException", 413),
            Map.entry("UnsupportedDocumentEncodingException", 415),
            Map.entry("ThrottlingException", 429),
            Map.entry("InternalFailureException", 500),
            Map.entry("ServiceUnavailableException", 503),
            Map.entry("GatewayTimeoutException", 504));

    Map<String, Integer> jobs =
        Map.ofEntries(
            Map.entry("InvalidRequestException", 400),
            Map.entry("CertificateValidationException", 400),
            Map.entry("ValidationException", 400),
            Map.entry("ServiceQuotaExceededException", 402),
            Map.entry("ResourceNotFoundException", 404),
            Map.entry("ConflictException", 409),
            Map.entry("InvalidStateTransitionException", 409),
            Map.entry("TerminalStateException", 410),
            Map.entry("ThrottlingException", 429),
            Map.entry("InternalServerException", 500),
            Map.entry("ServiceUnavailableException", 503));

    Map<RestService, Map<String, Integer>> tables = new EnumMap<>(RestService.class);
    tables.put(RestService.IOT, Map.copyOf(iot));
    tables.put(RestService.IOT_DATA, data);
    tables.put(RestService.IOT_JOBS_DATA, jobs);
    return tables;
  }
}
