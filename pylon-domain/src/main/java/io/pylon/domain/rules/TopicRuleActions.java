package io.pylon.domain.rules;

import com.fasterxml.jackson.databind.JsonNode;
import io.pylon.domain.error.InvalidRequestException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The 23 action types of the AWS {@code Action} shape and the members each takes, with the
 * constraints the model puts on them (required members, types, lengths, ranges, enumerations,
 * patterns). An action object must name exactly one known type.
 *
 * <p>Members the table does not know are kept as sent and not refused: newer SDKs add members to
 * actions (AWS's own services ignore what they do not model), and refusing them would break those
 * clients for no gain. Members it knows must have the right type.
 */
public final class TopicRuleActions {

  /** The action type names, as they appear as the single member of an action object. */
  public static final Set<String> TYPES;

  private static final Map<String, Shape> SHAPES = new LinkedHashMap<>();

  static {
    Shape userProperty = obj(req("key", str(0, 1024)), req("value", str(0, 1024)));
    Shape header = obj(req("key", str(1, 256)), req("value", str()));
    SHAPES.put(
        "dynamoDB",
        obj(
            req("tableName", str()),
            req("roleArn", str()),
            opt("operation", str()),
            req("hashKeyField", str()),
            req("hashKeyValue", str()),
            opt("hashKeyType", oneOf("STRING", "NUMBER")),
            opt("rangeKeyField", str()),
            opt("rangeKeyValue", str()),
            opt("rangeKeyType", oneOf("STRING", "NUMBER")),
            opt("payloadField", str())));
    SHAPES.put(
        "dynamoDBv2", obj(req("roleArn", str()), req("putItem", obj(req("tableName", str())))));
    SHAPES.put("lambda", obj(req("functionArn", str())));
    SHAPES.put(
        "sns",
        obj(
            req("targetArn", str()),
            req("roleArn", str()),
            opt("messageFormat", oneOf("RAW", "JSON"))));
    SHAPES.put("sqs", obj(req("roleArn", str()), req("queueUrl", str()), opt("useBase64", bool())));
    SHAPES.put(
        "kinesis",
        obj(req("roleArn", str()), req("streamName", str()), opt("partitionKey", str())));
    SHAPES.put(
        "republish",
        obj(
            req("roleArn", str()),
            req("topic", str()),
            opt("qos", integer(0, 1)),
            opt(
                "headers",
                obj(
                    opt("payloadFormatIndicator", str(0, 1024)),
                    opt("contentType", str(0, 1024)),
                    opt("responseTopic", str(0, 1024)),
                    opt("correlationData", str(0, 1024)),
                    opt("messageExpiry", str(0, 1024)),
                    opt("userProperties", list(userProperty, 1, 100))))));
    SHAPES.put(
        "s3",
        obj(
            req("roleArn", str()),
            req("bucketName", str()),
            req("key", str()),
            opt(
                "cannedAcl",
                oneOf(
                    "private",
                    "public-read",
                    "public-read-write",
                    "aws-exec-read",
                    "authenticated-read",
                    "bucket-owner-read",
                    "bucket-owner-full-control",
                    "log-delivery-write"))));
    SHAPES.put(
        "firehose",
        obj(
            req("roleArn", str()),
            req("deliveryStreamName", str()),
            opt("separator", matching("([\\n\\t])|(\\r\\n)|(,)")),
            opt("batchMode", bool())));
    SHAPES.put(
        "cloudwatchMetric",
        obj(
            req("roleArn", str()),
            req("metricNamespace", str()),
            req("metricName", str()),
            req("metricValue", str()),
            req("metricUnit", str()),
            opt("metricTimestamp", str())));
    SHAPES.put(
        "cloudwatchAlarm",
        obj(
            req("roleArn", str()),
            req("alarmName", str()),
            req("stateReason", str()),
            req("stateValue", str())));
    SHAPES.put(
        "cloudwatchLogs",
        obj(req("roleArn", str()), req("logGroupName", str()), opt("batchMode", bool())));
    Shape search =
        obj(
            req("roleArn", str()),
            req("endpoint", matching("https?://.*")),
            req("index", str()),
            req("type", str()),
            req("id", str()));
    SHAPES.put("elasticsearch", search);
    SHAPES.put(
        "salesforce",
        obj(
            req("token", str(40, Integer.MAX_VALUE)),
            req(
                "url",
                matching(
                    "https://ingestion-[a-zA-Z0-9]{1,12}\\.[a-zA-Z0-9]+\\."
                        + "((sfdc-matrix\\.net)|(sfdcnow\\.com))/streams/\\w{1,20}/\\w{1,20}/event"))));
    SHAPES.put(
        "iotAnalytics",
        obj(
            opt("channelArn", str()),
            opt("channelName", str()),
            opt("batchMode", bool()),
            opt("roleArn", str())));
    SHAPES.put(
        "iotEvents",
        obj(
            req("inputName", str(1, 128)),
            opt("messageId", str(0, 128)),
            opt("batchMode", bool()),
            req("roleArn", str())));
    Shape propertyValue =
        obj(
            req(
                "value",
                obj(
                    opt("stringValue", str(1, 1024)),
                    opt("integerValue", str()),
                    opt("doubleValue", str()),
                    opt("booleanValue", str()))),
            req("timestamp", obj(req("timeInSeconds", str()), opt("offsetInNanos", str()))),
            opt("quality", str()));
    SHAPES.put(
        "iotSiteWise",
        obj(
            req(
                "putAssetPropertyValueEntries",
                list(
                    obj(
                        opt("entryId", str()),
                        opt("assetId", str()),
                        opt("propertyId", str()),
                        opt("propertyAlias", str(1, Integer.MAX_VALUE)),
                        req("propertyValues", list(propertyValue, 1, Integer.MAX_VALUE))),
                    1,
                    Integer.MAX_VALUE)),
            req("roleArn", str())));
    SHAPES.put(
        "stepFunctions",
        obj(
            opt("executionNamePrefix", str()),
            req("stateMachineName", str()),
            req("roleArn", str())));
    SHAPES.put(
        "timestream",
        obj(
            req("roleArn", str()),
            req("databaseName", str()),
            req("tableName", str()),
            req("dimensions", list(obj(req("name", str()), req("value", str())), 1, 128)),
            opt("timestamp", obj(req("value", str()), req("unit", str())))));
    SHAPES.put(
        "http",
        obj(
            req("url", str(0, 2000)),
            opt("confirmationUrl", str(0, 2000)),
            opt("headers", list(header, 0, 100)),
            opt(
                "auth",
                obj(
                    opt(
                        "sigv4",
                        obj(
                            req("signingRegion", str()),
                            req("serviceName", str()),
                            req("roleArn", str()))))),
            opt("enableBatching", bool()),
            opt(
                "batchConfig",
                obj(
                    opt("maxBatchOpenMs", integer(5, 200)),
                    opt("maxBatchSize", integer(2, 10)),
                    opt("maxBatchSizeBytes", integer(100, 131_072)),
                    opt("batchAcrossTopics", bool())))));
    SHAPES.put(
        "kafka",
        obj(
            req("destinationArn", str()),
            req("topic", str()),
            opt("key", str()),
            opt("partition", str()),
            req("clientProperties", new StringMap()),
            opt("headers", list(header, 0, 100))));
    SHAPES.put("openSearch", search);
    SHAPES.put(
        "location",
        obj(
            req("roleArn", str()),
            req("trackerName", str()),
            req("deviceId", str()),
            opt("timestamp", obj(req("value", str()), opt("unit", str()))),
            req("latitude", str()),
            req("longitude", str())));
    TYPES = Set.copyOf(SHAPES.keySet());
  }

  private TopicRuleActions() {}

  /**
   * Checks one action object and returns its type name.
   *
   * @param where how the message names the action, e.g. {@code actions[2]} or {@code errorAction}
   * @throws InvalidRequestException naming the first thing wrong
   */
  public static String check(JsonNode action, String where) {
    if (action == null || !action.isObject()) {
      throw new InvalidRequestException(where + " must be an object");
    }
    if (action.size() != 1) {
      throw new InvalidRequestException(
          where
              + " must name exactly one action type ("
              + String.join(", ", SHAPES.keySet())
              + "), has "
              + action.size());
    }
    String type = action.fieldNames().next();
    Shape shape = SHAPES.get(type);
    if (shape == null) {
      throw new InvalidRequestException(where + " names an unknown action type '" + type + "'");
    }
    shape.check(action.get(type), where + "." + type);
    return type;
  }

  /** The one member name of a checked action object: its type. */
  public static String typeOf(JsonNode action) {
    return action.fieldNames().next();
  }

  // ---- the shapes -----------------------------------------------------------------------------

  private sealed interface Shape permits Str, Int, Bool, Obj, ListOf, StringMap {
    void check(JsonNode value, String where);
  }

  private record Member(String name, Shape shape, boolean required) {}

  private record Str(int min, int max, Set<String> allowed, Pattern pattern) implements Shape {
    @Override
    public void check(JsonNode value, String where) {
      if (!value.isTextual()) {
        throw new InvalidRequestException(where + " must be a string");
      }
      String text = value.textValue();
      if (text.length() < min || text.length() > max) {
        throw new InvalidRequestException(
            where
                + " must be "
                + (max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max)
                + " characters long");
      }
      if (!allowed.isEmpty() && !allowed.contains(text)) {
        throw new InvalidRequestException(
            where + " must be one of " + String.join(", ", allowed) + ", was '" + text + "'");
      }
      if (pattern != null && !pattern.matcher(text).matches()) {
        throw new InvalidRequestException(
            where + " must match " + pattern.pattern() + ", was '" + text + "'");
      }
    }
  }

  private record Int(long min, long max) implements Shape {
    @Override
    public void check(JsonNode value, String where) {
      if (!value.isIntegralNumber()
          || !value.canConvertToLong()
          || value.longValue() < min
          || value.longValue() > max) {
        throw new InvalidRequestException(
            where + " must be an integer from " + min + " to " + max + ", was " + value);
      }
    }
  }

  private record Bool() implements Shape {
    @Override
    public void check(JsonNode value, String where) {
      if (!value.isBoolean()) {
        throw new InvalidRequestException(where + " must be true or false");
      }
    }
  }

  private record Obj(List<Member> members) implements Shape {
    @Override
    public void check(JsonNode value, String where) {
      if (!value.isObject()) {
        throw new InvalidRequestException(where + " must be an object");
      }
      for (Member m : members) {
        JsonNode member = value.get(m.name());
        if (member == null || member.isNull()) {
          if (m.required()) {
            throw new InvalidRequestException(where + "." + m.name() + " is required");
          }
          continue;
        }
        m.shape().check(member, where + "." + m.name());
      }
    }
  }

  private record ListOf(Shape item, int min, int max) implements Shape {
    @Override
    public void check(JsonNode value, String where) {
      if (!value.isArray()) {
        throw new InvalidRequestException(where + " must be a list");
      }
      if (value.size() < min || value.size() > max) {
        throw new InvalidRequestException(
            where
                + " must have "
                + (max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max)
                + " items, has "
                + value.size());
      }
      for (int i = 0; i < value.size(); i++) {
        item.check(value.get(i), where + "[" + i + "]");
      }
    }
  }

  private record StringMap() implements Shape {
    @Override
    public void check(JsonNode value, String where) {
      if (!value.isObject()) {
        throw new InvalidRequestException(where + " must be an object of strings");
      }
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        if (!field.getValue().isTextual()) {
          throw new InvalidRequestException(where + "." + field.getKey() + " must be a string");
        }
      }
    }
  }

  private static Member req(String name, Shape shape) {
    return new Member(name, shape, true);
  }

  private static Member opt(String name, Shape shape) {
    return new Member(name, shape, false);
  }

  private static Obj obj(Member... members) {
    return new Obj(List.of(members));
  }

  private static Str str() {
    return new Str(0, Integer.MAX_VALUE, Set.of(), null);
  }

  private static Str str(int min, int max) {
    return new Str(min, max, Set.of(), null);
  }

  private static Str oneOf(String... values) {
    return new Str(0, Integer.MAX_VALUE, Set.of(values), null);
  }

  private static Str matching(String regex) {
    return new Str(0, Integer.MAX_VALUE, Set.of(), Pattern.compile(regex));
  }

  private static Int integer(long min, long max) {
    return new Int(min, max);
  }

  private static Bool bool() {
    return new Bool();
  }

  private static ListOf list(Shape item, int min, int max) {
    return new ListOf(item, min, max);
  }
}
