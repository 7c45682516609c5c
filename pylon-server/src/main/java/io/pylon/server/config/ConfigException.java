package io.pylon.server.config;

import java.util.List;

/**
 * The configuration is invalid. The message names every offending key and is meant for the operator
 * as is: the command line prints it without a stack trace.
 */
public final class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(String problem) {
    this(List.of(problem));
  }

  /** One exception for all problems found, so that an operator fixes them in one round. */
  public ConfigException(List<String> problems) {
    super(String.join("\n", problems), null, false, false);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a configuration error needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /**
   * Each problem as one line, e.g. {@code listeners.mqtts.port: must be between 0 and 65535, was
   * 70000}.
   */
  public List<String> problems() {
    return problems;
  }
}
