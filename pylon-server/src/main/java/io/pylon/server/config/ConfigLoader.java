package io.pylon.server.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the configuration from its layers, each overriding the one before: built-in defaults, the
 * YAML file, {@code PYLON_*} environment variables, then overrides (the command line's options and
 * {@code --set key=value}, or a test's settings). All layers speak the same dotted keys ({@code
 * listeners.mqtts.port}), so a key documented once works everywhere.
 */
public final class ConfigLoader {

  /**
   * {@code PYLON_} variables that are not configuration keys and are left alone: read by the
   * command line ({@code PYLON_CONFIG}), by logback.xml ({@code PYLON_LOG_*}) or by the launch
   * script ({@code PYLON_JAVA*}, {@code PYLON_HOME}, {@code PYLON_OPTS}). Any other unknown {@code
   * PYLON_} variable is a typo and an error; add a name here when something else starts reading
   * one.
   */
  public static final Set<String> NON_KEY_ENV =
      Set.of(
          "PYLON_CONFIG",
          "PYLON_LOG_LEVEL",
          "PYLON_LOG_FORMAT",
          "PYLON_HOME",
          "PYLON_OPTS",
          "PYLON_JAVA",
          "PYLON_JAVA_OPTS");

  private static final YAMLMapper YAML = yamlMapper();

  private ConfigLoader() {}

  /**
   * Loads and validates a configuration.
   *
   * @param file the YAML file, if any; a named file that does not exist is an error
   * @param env the process environment (pass {@code System.getenv()}, or a map in tests)
   * @param overrides dotted keys to values, highest precedence; list keys take comma-separated
   *     values
   * @throws ConfigException naming every bad key, where it was set, and what is wrong
   */
  public static PylonConfig load(
      Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
    Map<String, Setting> settings = new LinkedHashMap<>();
    ConfigSchema.defaultValues().forEach((key, value) -> settings.put(key, new Setting(value, "")));
    List<String> problems = new ArrayList<>();
    file.ifPresent(path -> readFile(path, settings, problems));
    readEnv(env, settings, problems);
    readOverrides(overrides, settings, problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new ConfigBinder(settings).bind();
  }

  /** The defaults alone; what {@code pylon start} runs with when nothing is configured. */
  public static PylonConfig defaults() {
    return load(Optional.empty(), Map.of(), Map.of());
  }

  private static void readFile(Path path, Map<String, Setting> settings, List<String> problems) {
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(path));
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file " + path + " does not exist");
    } catch (AccessDeniedException e) {
      throw new ConfigException("config file " + path + " cannot be read: permission denied");
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      String at =
          where == null ? "" : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
      throw new ConfigException(
          "config file " + path + " is not valid YAML" + at + ": " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new ConfigException("config file " + path + " cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      return; // an empty file means "all defaults"
    }
    String source = " (in " + path + ")";
    if (!root.isObject()) {
      problems.add("config file " + path + ": expected a mapping of keys at the top level");
      return;
    }
    walk("", root, source, settings, problems);
  }

  private static void walk(
      String branch,
      JsonNode node,
      String source,
      Map<String, Setting> settings,
      List<String> problems) {
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      String key = branch.isEmpty() ? field.getKey() : branch + "." + field.getKey();
      JsonNode value = field.getValue();
      if (ConfigSchema.isLeaf(key)) {
        readLeaf(key, value, source, settings, problems);
      } else if (ConfigSchema.isBranch(key)) {
        if (value.isObject()) {
          walk(key, value, source, settings, problems);
        } else if (!value.isNull()) { // "limits:" with nothing under it is an empty mapping
          problems.add(
              key + ": expected a mapping of keys, found '" + value.asText() + "'" + source);
        }
      } else {
        problems.add(unknownKey(branch, field.getKey(), key) + source);
      }
    }
  }

  private static void readLeaf(
      String key,
      JsonNode value,
      String source,
      Map<String, Setting> settings,
      List<String> problems) {
    if (ConfigSchema.isList(key)) {
      if (value.isNull()) {
        settings.put(key, new Setting(List.of(), source));
      } else if (value.isArray()) {
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
          if (!item.isValueNode()) {
            problems.add(key + ": list items must be plain values" + source);
            return;
          }
          items.add(item.asText());
        }
        settings.put(key, new Setting(items, source));
      } else {
        problems.add(
            key + ": expected a list such as [a, b], found '" + value.asText() + "'" + source);
      }
    } else if (value.isValueNode()) {
      settings.put(key, new Setting(value.isNull() ? "" : value.asText(), source));
    } else {
      problems.add(
          key
              + ": expected a single value, found a "
              + (value.isArray() ? "list" : "mapping")
              + source);
    }
  }

  private static String unknownKey(String branch, String name, String key) {
    String message = "unknown key '" + key + "'";
    return ConfigSchema.suggest(name, ConfigSchema.childNames(branch))
        .map(s -> message + " (did you mean '" + (branch.isEmpty() ? s : branch + "." + s) + "'?)")
        .orElse(message);
  }

  private static void readEnv(
      Map<String, String> env, Map<String, Setting> settings, List<String> problems) {
    env.entrySet().stream()
        .filter(
            e ->
                e.getKey().startsWith(ConfigSchema.ENV_PREFIX) && !NON_KEY_ENV.contains(e.getKey()))
        .sorted(Map.Entry.comparingByKey()) // deterministic problem order
        .forEach(
            e -> {
              Optional<String> key = ConfigSchema.keyForEnv(e.getKey());
              if (key.isEmpty()) {
                String message =
                    "environment variable " + e.getKey() + " does not name a configuration key";
                problems.add(
                    ConfigSchema.suggest(e.getKey(), ConfigSchema.envNames())
                        .map(s -> message + " (did you mean " + s + "?)")
                        .orElse(message));
              } else {
                settings.put(
                    key.get(),
                    new Setting(
                        textValue(key.get(), e.getValue()),
                        " (from environment variable " + e.getKey() + ")"));
              }
            });
  }

  private static void readOverrides(
      Map<String, String> overrides, Map<String, Setting> settings, List<String> problems) {
    overrides.forEach(
        (rawKey, value) -> {
          String key = rawKey.trim();
          if (!ConfigSchema.isLeaf(key)) {
            String message = "unknown key '" + key + "'";
            problems.add(
                ConfigSchema.suggest(key, ConfigSchema.keys())
                    .map(s -> message + " (did you mean '" + s + "'?)")
                    .orElse(message));
          } else {
            // No source suffix: whoever passed an override has just written it down.
            settings.put(key, new Setting(textValue(key, value), ""));
          }
        });
  }

  /** Environment and overrides are text: list keys take comma-separated items. */
  private static Object textValue(String key, String value) {
    if (!ConfigSchema.isList(key)) {
      return value;
    }
    return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static YAMLMapper yamlMapper() {
    YAMLMapper mapper = new YAMLMapper();
    // A key written twice is almost always a mistake; silently taking the last one hides it.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }

  /**
   * A configured value and where it came from.
   *
   * @param value text, or a list of text for list keys
   * @param source suffix for error messages, e.g. {@code " (in /etc/pylon.yaml)"}, or empty
   */
  record Setting(Object value, String source) {}
}
