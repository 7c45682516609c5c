package io.pylon.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar pylon-bench.jar <scenario> [options]}: the load tool's command line. Each
 * scenario prints a table and one JSON line (also appended to {@code --json-out}); {@code report}
 * turns collected JSON lines into Markdown. Exit status: 0 clean run, 1 run failed or saw errors, 2
 * bad arguments, 3 hard deadline hit.
 */
@Command(
    name = "pylon-bench",
    mixinStandardHelpOptions = true,
    description = "MQTT load generator for side-by-side server benchmarks (loopback).",
    subcommands = {
      BenchMain.FanIn.class,
      BenchMain.FanOut.class,
      BenchMain.P2p.class,
      BenchMain.Idle.class,
      BenchMain.Shadow.class,
      BenchMain.Rules.class,
      ReportCommand.class,
      BenchMain.FreePort.class,
    })
public final class BenchMain implements Runnable {

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    // Our own name, not logback.xml: pylon-server (on the class path for JMH) ships a logback.xml
    // of its own,
    // and logback warns about every duplicate it auto-discovers.
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "pylon-bench-logback.xml");
    }
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "name a scenario: fan-in, fan-out, p2p, idle, shadow or rules");
  }

  /** Shared by the message scenarios: validate, run, print, and never outlive a hard deadline. */
  abstract static class MessageScenario implements Callable<Integer> {
    @Mixin LoadOptions options;

    @Spec CommandSpec spec;

    abstract ScenarioDefaults defaults();

    abstract Topology topology(int clients);

    @Override
    public Integer call() {
      LoadSettings s = resolve(spec, options, defaults());
      Topology t = topology(s.clients());
      checkFds(spec, t.connections());
      long bound =
          Connector.connectTimeoutNanos(t.connections()) * 2
              + s.warmup().toNanos()
              + s.duration().toNanos()
              + s.drainTimeout().toNanos()
              + TimeUnit.SECONDS.toNanos(60);
      armHardDeadline(bound);
      String mode = s.peak() ? "peak" : "fixed";
      banner(t.scenario(), s.label(), mode);
      PubSubRun run = new PubSubRun(s, t);
      return emit(measure(t.scenario(), s.label(), mode, "", run::run, run.errors()), s);
    }
  }

  @Command(
      name = "fan-in",
      mixinStandardHelpOptions = true,
      description =
          "N publishers (--clients, default 10) on their own topics, one subscriber on a '#' filter.")
  static final class FanIn extends MessageScenario {
    @Override
    ScenarioDefaults defaults() {
      return new ScenarioDefaults(10, 1_000_000, 0, 100);
    }

    @Override
    Topology topology(int clients) {
      return Topology.fanIn(clients);
    }
  }

  @Command(
      name = "fan-out",
      mixinStandardHelpOptions = true,
      description =
          "One publisher, N subscribers (--clients, default 1000) on the same topic; --messages counts publishes.")
  static final class FanOut extends MessageScenario {
    @Override
    ScenarioDefaults defaults() {
      return new ScenarioDefaults(1000, 2_000, 0, 2);
    }

    @Override
    Topology topology(int clients) {
      return Topology.fanOut(clients);
    }
  }

  @Command(
      name = "p2p",
      mixinStandardHelpOptions = true,
      description =
          "N pairs (--clients, default 100): each publisher to its own subscriber's topic, QoS 1 by default.")
  static final class P2p extends MessageScenario {
    @Override
    ScenarioDefaults defaults() {
      return new ScenarioDefaults(100, 500_000, 1, 10);
    }

    @Override
    Topology topology(int clients) {
      return Topology.p2p(clients);
    }
  }

  @Command(
      name = "idle",
      mixinStandardHelpOptions = true,
      description =
          "Open N connections (--clients, default 1000), report the connect rate, hold them, sample server RSS, close.")
  static final class Idle implements Callable<Integer> {
    @Mixin LoadOptions options;

    @Spec CommandSpec spec;

    @Option(
        names = "--hold",
        defaultValue = "10",
        description = "Seconds to hold the connections open (default: ${DEFAULT-VALUE}).")
    double holdSeconds;

    @Override
    public Integer call() {
      LoadSettings s = resolve(spec, options, new ScenarioDefaults(1000, 1, 0, 1));
      if (!(holdSeconds >= 0 && holdSeconds <= 3600)) {
        throw new ParameterException(
            spec.commandLine(), "--hold must be in [0, 3600] seconds, was " + holdSeconds);
      }
      checkFds(spec, s.clients());
      Duration hold = Duration.ofMillis(Math.round(holdSeconds * 1000));
      armHardDeadline(
          IdleRun.maxWarmupNanos(s.clients())
              + Connector.connectTimeoutNanos(s.clients())
              + hold.toNanos()
              + TimeUnit.SECONDS.toNanos(90));
      banner("idle", s.label(), "idle");
      IdleRun run = new IdleRun(s, hold);
      return emit(measure("idle", s.label(), "idle", "", run::run, run.errors()), s);
    }
  }

  @Command(
      name = "shadow",
      mixinStandardHelpOptions = true,
      description =
          "N devices (--clients, default 1000) each update their own thing's classic shadow"
              + " (reported, with a clientToken) and await /update/accepted or /rejected;"
              + " --inflight requests unanswered per device (default 1), --messages updates across"
              + " devices, --payload-bytes the update document's size. Servers with AWS IoT shadows"
              + " only (Pylon).")
  static final class Shadow implements Callable<Integer> {
    @Mixin LoadOptions options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      LoadSettings s = resolve(spec, options, new ScenarioDefaults(1000, 1_000_000, 1, 1));
      try {
        checkShadowSettings(s);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      checkFds(spec, s.clients());
      armHardDeadline(
          Connector.connectTimeoutNanos(s.clients()) * 2
              + s.warmup().toNanos()
              + s.duration().toNanos()
              + s.drainTimeout().toNanos()
              + TimeUnit.SECONDS.toNanos(60));
      banner(ShadowRun.SCENARIO, s.label(), "peak");
      ShadowRun run = new ShadowRun(s);
      return emit(measure(ShadowRun.SCENARIO, s.label(), "peak", "", run::run, run.errors()), s);
    }
  }

  @Command(
      name = "rules",
      mixinStandardHelpOptions = true,
      description =
          "Publishers (--clients, default 10) send JSON messages round-robin over --rules topics"
              + " (default 100), each matched by exactly one topic rule, created over the REST API"
              + " and deleted afterwards: even rules republish to a subscriber, odd ones POST to a"
              + " local HTTP sink. --rules 0 is the baseline: the same publishes, no rules, the"
              + " subscriber on the input topics. Servers with AWS IoT topic rules only (Pylon).")
  static final class Rules implements Callable<Integer> {
    @Mixin LoadOptions options;

    @Spec CommandSpec spec;

    @Option(
        names = "--rules",
        defaultValue = "100",
        description =
            "Topic rules, one per input topic, half republish and half http; 0 = baseline"
                + " without rules (default: ${DEFAULT-VALUE}).")
    int rules;

    @Option(
        names = "--topics",
        description = "Input topics of the baseline (default: 100); with rules, one per rule.")
    Integer topics;

    @Option(
        names = "--rest-port",
        defaultValue = "8443",
        description = "The server's HTTPS (REST API) port on --host (default: ${DEFAULT-VALUE}).")
    int restPort;

    @Option(
        names = "--rest-cafile",
        description =
            "PEM CA certificate of the HTTPS listener (Pylon: <data-dir>/ca/root-ca.pem).")
    Path restCaFile;

    @Option(
        names = "--access-key-id",
        defaultValue = "${env:AWS_ACCESS_KEY_ID}",
        description = "Access key for SigV4 (default: $AWS_ACCESS_KEY_ID).")
    String accessKeyId;

    @Option(
        names = "--secret-access-key",
        defaultValue = "${env:AWS_SECRET_ACCESS_KEY}",
        description = "Secret key for SigV4 (default: $AWS_SECRET_ACCESS_KEY).")
    String secretAccessKey;

    @Option(
        names = "--region",
        defaultValue = "us-east-1",
        description = "SigV4 region (default: ${DEFAULT-VALUE}).")
    String region;

    @Option(
        names = "--actions",
        defaultValue = "both",
        description =
            "The rules' actions: both (even rules republish, odd ones http), republish or http"
                + " (default: ${DEFAULT-VALUE}).")
    String actions;

    @Option(
        names = "--sink-threads",
        defaultValue = "2",
        description = "Threads answering the HTTP sink's requests (default: ${DEFAULT-VALUE}).")
    int sinkThreads;

    @Override
    public Integer call() {
      LoadSettings s = resolve(spec, options, new ScenarioDefaults(10, 1_000_000, 1, 100));
      int t;
      RuleSet.Actions kinds;
      try {
        kinds = RuleSet.Actions.parse(actions);
        t = checkRulesSettings(s, rules, topics, sinkThreads);
        if (rules > 0) {
          LoadOptions.require(
              restPort >= 1 && restPort <= 65535, "--rest-port must be 1..65535, was " + restPort);
          LoadOptions.require(
              restCaFile != null && Files.isReadable(restCaFile),
              "rules: --rest-cafile must name the HTTPS listener's CA certificate (PEM)");
          LoadOptions.require(
              accessKeyId != null
                  && !accessKeyId.isBlank()
                  && secretAccessKey != null
                  && !secretAccessKey.isBlank(),
              "rules: --access-key-id and --secret-access-key (or AWS_ACCESS_KEY_ID and"
                  + " AWS_SECRET_ACCESS_KEY) are needed to create rules");
        }
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      checkFds(spec, s.clients() + 1);
      armHardDeadline(
          Connector.connectTimeoutNanos(s.clients() + 1) * 2
              + s.warmup().toNanos()
              + s.duration().toNanos()
              + s.drainTimeout().toNanos()
              + TimeUnit.SECONDS.toNanos(120));
      String mode = s.peak() ? "peak" : "fixed";
      banner(RulesRun.SCENARIO + (rules == 0 ? " (baseline, no rules)" : ""), s.label(), mode);
      RulesRun run =
          new RulesRun(
              s,
              rules,
              t,
              kinds,
              new RulesRun.Rest(restPort, restCaFile, accessKeyId, secretAccessKey, region),
              sinkThreads);
      return emit(
          measure(
              RulesRun.SCENARIO,
              s.label(),
              mode,
              rules == 0 ? RulesRun.BASELINE_FAILURE : "",
              run::run,
              run.errors()),
          s);
    }
  }

  /**
   * What only the rules scenario requires; returns the number of input topics. AWS IoT has no QoS
   * 2, the payload must hold the JSON header, and the prefix becomes part of rule names and SQL.
   */
  static int checkRulesSettings(LoadSettings s, int rules, Integer topics, int sinkThreads) {
    LoadOptions.require(rules >= 0 && rules <= 1_000, "--rules must be 0..1000, was " + rules);
    int t = topics != null ? topics : rules > 0 ? rules : 100;
    LoadOptions.require(t >= 1 && t <= 10_000, "--topics must be 1..10000, was " + t);
    LoadOptions.require(
        rules == 0 || t == rules, "rules: --topics must equal --rules (one rule per topic)");
    LoadOptions.require(s.qos() <= 1, "rules: --qos must be 0 or 1, was " + s.qos());
    LoadOptions.require(
        s.payloadBytes() >= RulePayload.MIN_BYTES,
        "rules: --payload-bytes must be at least "
            + RulePayload.MIN_BYTES
            + " (the JSON header), was "
            + s.payloadBytes());
    LoadOptions.require(
        sinkThreads >= 1 && sinkThreads <= 64, "--sink-threads must be 1..64, was " + sinkThreads);
    // RuleSet checks the prefix (rule names, SQL) and the rule/topic shape.
    new RuleSet(s.clientIdPrefix(), rules, t, s.qos(), RuleSet.Actions.BOTH, null);
    return t;
  }

  /**
   * What only the shadow scenario requires: it runs at peak (a window per device, no pacing), its
   * answers come at QoS 0 or 1 (AWS IoT has no QoS 2), and the client id prefix becomes part of
   * thing names, which allow fewer characters than client ids.
   */
  static void checkShadowSettings(LoadSettings s) {
    LoadOptions.require(
        s.peak(), "shadow runs with --inflight requests per device, not at a --rate");
    LoadOptions.require(s.qos() <= 1, "shadow: --qos must be 0 or 1, was " + s.qos());
    LoadOptions.require(
        s.inflight() <= 1_000, "shadow: --inflight must be 1..1000, was " + s.inflight());
    String longest = ShadowRun.thingName(s.clientIdPrefix(), s.clients() - 1);
    LoadOptions.require(
        longest.length() <= 128 && longest.matches("[a-zA-Z0-9:_-]+"),
        "shadow: --client-id-prefix becomes part of thing names: only letters, digits, ':', '_'"
            + " and '-' allowed, at most 128 characters in all");
  }

  @Command(
      name = "free-port",
      mixinStandardHelpOptions = true,
      description =
          "Print free TCP ports on 127.0.0.1, one per line (for scripts that start servers).")
  static final class FreePort implements Callable<Integer> {
    @Option(
        names = "--count",
        defaultValue = "1",
        description = "How many distinct ports (default: ${DEFAULT-VALUE}).")
    int count;

    @Override
    public Integer call() throws IOException {
      List<ServerSocket> held = new ArrayList<>();
      try {
        // Held open together so that the ports printed are distinct.
        for (int i = 0; i < Math.max(1, Math.min(count, 100)); i++) {
          ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
          held.add(s);
          System.out.println(s.getLocalPort());
        }
      } finally {
        for (ServerSocket s : held) {
          s.close();
        }
      }
      return 0;
    }
  }

  static LoadSettings resolve(CommandSpec spec, LoadOptions options, ScenarioDefaults defaults) {
    try {
      return options.resolve(defaults);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  static void checkFds(CommandSpec spec, int connections) {
    try {
      LoadOptions.checkConnectionBudget(connections, LoadOptions.openFileLimit());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private static void banner(String scenario, String target, String mode) {
    System.out.printf("== %s · %s · %s%n", scenario, target, mode);
    System.out.flush();
  }

  /**
   * Runs one measurement; one that throws is recorded as failed, with the errors it had seen, so
   * that the report shows it next to the runs that completed.
   */
  private static RunResult measure(
      String scenario,
      String label,
      String mode,
      String failurePrefix,
      Callable<RunResult> run,
      ErrorLog errors) {
    try {
      return run.call();
    } catch (Exception e) {
      return new RunResult.Failed(
          scenario,
          label,
          mode,
          Instant.now().toString(),
          failurePrefix + MqttConnection.rootMessage(e),
          errors.count(),
          errors.summary());
    }
  }

  private static int emit(RunResult result, LoadSettings s) {
    PrintStream out = System.out;
    result.printTable(out);
    String json = Json.line(result);
    out.println(json);
    out.flush();
    if (s.jsonOut() != null) {
      try {
        Files.writeString(
            s.jsonOut(),
            json + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        System.err.println("cannot append to " + s.jsonOut() + ": " + e.getMessage());
        return 1;
      }
    }
    return result instanceof RunResult.Failed || result.errors() > 0 ? 1 : 0;
  }

  /**
   * Every phase has its own timeout; this is the backstop for a bug in them, so that a benchmark
   * can never hang a CI job or keep sockets open after its caller gave up.
   */
  private static void armHardDeadline(long nanos) {
    Thread t =
        new Thread(
            () -> {
              try {
                TimeUnit.NANOSECONDS.sleep(nanos);
              } catch (InterruptedException e) {
                return;
              }
              System.err.printf(
                  "pylon-bench: hard deadline of %d s exceeded, exiting%n",
                  TimeUnit.NANOSECONDS.toSeconds(nanos));
              Runtime.getRuntime().halt(3);
            },
            "hard-deadline");
    t.setDaemon(true);
    t.start();
  }
}
