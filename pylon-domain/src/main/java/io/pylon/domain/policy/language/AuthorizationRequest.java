package io.pylon.domain.policy.language;

import java.util.Objects;

/**
 * What is asked: may the principal described by {@code context} perform {@code action} on {@code
 * resource}?
 *
 * @param action an action name such as {@link #PUBLISH}; matched case-insensitively as IAM does
 * @param resource the full resource ARN, e.g. {@code
 *     arn:aws:iot:us-east-1:123456789012:topic/dt/pump-1/temp}, or {@code *} for actions without a
 *     resource (ListRetainedMessages)
 * @param context the values of policy variables and condition keys
 */
public record AuthorizationRequest(String action, String resource, PolicyContext context) {

  public static final String CONNECT = "iot:Connect";
  public static final String PUBLISH = "iot:Publish";
  public static final String RETAIN_PUBLISH = "iot:RetainPublish";
  public static final String SUBSCRIBE = "iot:Subscribe";
  public static final String RECEIVE = "iot:Receive";
  public static final String GET_RETAINED_MESSAGE = "iot:GetRetainedMessage";
  public static final String LIST_RETAINED_MESSAGES = "iot:ListRetainedMessages";
  public static final String UPDATE_THING_SHADOW = "iot:UpdateThingShadow";
  public static final String GET_THING_SHADOW = "iot:GetThingShadow";
  public static final String DELETE_THING_SHADOW = "iot:DeleteThingShadow";
  public static final String LIST_NAMED_SHADOWS_FOR_THING = "iot:ListNamedShadowsForThing";
  public static final String DESCRIBE_JOB_EXECUTION = "iot:DescribeJobExecution";
  public static final String GET_PENDING_JOB_EXECUTIONS = "iot:GetPendingJobExecutions";
  public static final String START_NEXT_PENDING_JOB_EXECUTION = "iot:StartNextPendingJobExecution";
  public static final String UPDATE_JOB_EXECUTION = "iot:UpdateJobExecution";
  public static final String ASSUME_ROLE_WITH_CERTIFICATE = "iot:AssumeRoleWithCertificate";

  public AuthorizationRequest {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(context, "context");
  }
}
