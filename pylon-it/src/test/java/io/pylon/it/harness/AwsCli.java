package io.pylon.it.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real AWS CLI v2 ({@code /usr/bin/aws}, Debian package awscli, which {@code ./pylon test}
 * installs; never whatever {@code aws} is first on PATH) pointed at a running Pylon: {@code
 * --endpoint-url https://127.0.0.1:<https>}, {@code --ca-bundle} the server's root CA, {@code
 * --output json}, the server's region, and the data directory's admin credentials.
 *
 * <p>The machine's AWS configuration cannot interfere: the environment is built from scratch, with
 * {@code HOME}, {@code AWS_CONFIG_FILE} and {@code AWS_SHARED_CREDENTIALS_FILE} pointing into an
 * empty scratch directory, the instance metadata service off, {@code AWS_MAX_ATTEMPTS=1} (a retry
 * would hide what the server answered first) and no pager.
 *
 * <pre>
 * AwsCli aws = AwsCli.of(pylon);
 * AwsCli.Result r = aws.run("iot", "describe-endpoint", "--endpoint-type", "iot:Data-ATS");
 * r.json().path("endpointAddress") ... r.errorCode() ... r.exitCode()
 * </pre>
 */
public final class AwsCli {

  /** The Debian awscli package's entry point. */
  public static final Path EXECUTABLE = Path.of("/usr/bin/aws");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern ERROR_CODE =
      Pattern.compile("An error occurred \\(([A-Za-z0-9]+)\\) when calling the ([A-Za-z0-9]+)");

  private final String endpointUrl;
  private final Path caBundle;
  private final String region;
  private final Path home;
  private final Map<String, String> env;
  private final Duration timeout;

  private AwsCli(
      String endpointUrl,
      Path caBundle,
      String region,
      Path home,
      Map<String, String> env,
      Duration timeout) {
    this.endpointUrl = endpointUrl;
    this.caBundle = caBundle;
    this.region = region;
    this.home = home;
    this.env = Map.copyOf(env);
    this.timeout = timeout;
  }

  /** The CLI for the server that {@code pylon} runs, signing with its admin credentials. */
  public static AwsCli of(PylonServerExtension pylon) {
    assertThat(EXECUTABLE)
        .as("the AWS CLI v2 is missing; install the Debian package awscli (./pylon test does)")
        .isExecutable();
    Path home = pylon.scratch("aws-cli-home");
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/bin:/bin");
    env.put("HOME", home.toString());
    env.put("LANG", "C.UTF-8");
    env.put("AWS_CONFIG_FILE", home.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("no-credentials").toString());
    env.put("AWS_ACCESS_KEY_ID", pylon.server().credentials().accessKeyId());
    env.put("AWS_SECRET_ACCESS_KEY", pylon.server().credentials().secretAccessKey());
    env.put("AWS_MAX_ATTEMPTS", "1");
    env.put("AWS_PAGER", "");
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    return new AwsCli(
        "https://127.0.0.1:" + pylon.port(PylonServerExtension.HTTPS),
        pylon.caFile(),
        pylon.server().config().aws().region(),
        home,
        env,
        Duration.ofSeconds(60));
  }

  /** The same CLI with an environment variable set (or replaced). */
  public AwsCli withEnv(String name, String value) {
    Map<String, String> e = new LinkedHashMap<>(env);
    e.put(name, value);
    return new AwsCli(endpointUrl, caBundle, region, home, e, timeout);
  }

  /** The same CLI signing with other credentials. */
  public AwsCli withCredentials(String accessKeyId, String secretAccessKey) {
    return withEnv("AWS_ACCESS_KEY_ID", accessKeyId)
        .withEnv("AWS_SECRET_ACCESS_KEY", secretAccessKey);
  }

  /** The same CLI with another endpoint URL, e.g. one built from DescribeEndpoint's answer. */
  public AwsCli withEndpointUrl(String url) {
    return new AwsCli(url, caBundle, region, home, env, timeout);
  }

  public String endpointUrl() {
    return endpointUrl;
  }

  /**
   * Runs {@code aws <args> --endpoint-url ... --ca-bundle ... --output json --region ...} and waits
   * for it, killing it (by its own handle) when the timeout passes.
   */
  public Result run(String... args) {
    List<String> command = new ArrayList<>();
    command.add(EXECUTABLE.toString());
    command.addAll(List.of(args));
    command.addAll(
        List.of(
            "--endpoint-url",
            endpointUrl,
            "--ca-bundle",
            caBundle.toString(),
            "--output",
            "json",
            "--region",
            region));
    try {
      Path out = Files.createTempFile(home, "stdout-", ".txt");
      Path err = Files.createTempFile(home, "stderr-", ".txt");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(home.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      builder.environment().clear();
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError(
            "aws "
                + String.join(" ", args)
                + " did not finish within "
                + timeout
                + "; stderr: "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return new Result(process.exitValue(), stdout, parse(stdout), stderr);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running aws", e);
    }
  }

  private static JsonNode parse(String stdout) {
    if (stdout.isBlank()) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(stdout);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  /**
   * What the CLI did.
   *
   * @param exitCode 0 on success, 254 for an error the service answered, 255 for others
   * @param stdout standard output as text
   * @param json standard output parsed as JSON; a missing node when empty or not JSON
   * @param stderr standard error as text
   */
  public record Result(int exitCode, String stdout, JsonNode json, String stderr) {

    /** The AWS error code the CLI printed ("An error occurred (Code) when calling ..."). */
    public Optional<String> errorCode() {
      Matcher m = ERROR_CODE.matcher(stderr);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The operation named in the CLI's error line. */
    public Optional<String> errorOperation() {
      Matcher m = ERROR_CODE.matcher(stderr);
      return m.find() ? Optional.of(m.group(2)) : Optional.empty();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr;
    }
  }
}
