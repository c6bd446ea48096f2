package dev.parley.bench.command;

import dev.parley.bench.cluster.BenchCluster;
import dev.parley.bench.cluster.ClusterSettings;
import dev.parley.bench.cluster.Machine;
import dev.parley.bench.cluster.NodeProbe;
import dev.parley.bench.report.Report;
import dev.parley.bench.scenario.IdleWorker;
import dev.parley.bench.scenario.Options;
import dev.parley.bench.scenario.Run;
import dev.parley.bench.scenario.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code bench <scenario> [options]}: runs one scenario against a cluster it starts with {@code
 * bin/parley up} (or {@code --gateway URL --run-dir DIR} of a running one) and writes {@code
 * result.json}, {@code result.txt} and {@code plot.svg} into {@code --out} (default {@code
 * .parley/bench/<scenario>-<time>}). Exit status 0 when the scenario completed, 1 when not.
 */
public final class Bench {

  /** Service settings every bench cluster gets (see README, Benchmarks). */
  static final Map<String, String> BENCH_SERVICE_ENV =
      Map.of(
          // Sign-in cost is not what is measured here; 210,000 PBKDF2 rounds would make
          // registering 100,000 users take hours on 2 cores.
          "PARLEY_GATEWAY_PASSWORD_ITERATIONS",
          "1000",
          // A node closes a connection when its token expires (4001) and the generator's clients
          // do not renew theirs (auth.renew); a 100,000-connection idle run spends ~1 h between
          // the first sign-in and the end of its hold, and the 1-hour default expired 17,000 of
          // them mid-hold.
          "PARLEY_GATEWAY_TOKEN_LIFETIME",
          "PT4H");

  private Bench() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: bench idle|fanout|chat|storm [--nodes N] [--profile embedded|production] [--option value ...]");
      System.exit(2);
    }
    Options options = Options.parse(Arrays.asList(args).subList(1, args.length));
    if (args[0].equals("idle-worker")) {
      IdleWorker.main(options);
      System.exit(0);
    }
    Report report = run(args[0], options);
    System.out.println(report.table());
    System.exit(report.completed() ? 0 : 1);
  }

  /** Runs one scenario and writes its results; the report says whether it completed. */
  public static Report run(String name, Options options) throws Exception {
    Scenario scenario = Scenario.all().get(name);
    if (scenario == null) {
      throw new IllegalArgumentException(
          "no scenario " + name + "; one of " + Scenario.all().keySet());
    }
    Path home =
        Path.of(options.string("home", System.getProperty("parley.home", ".")))
            .toAbsolutePath()
            .normalize();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir =
        Path.of(
            options.string("out", home.resolve(".parley/bench/" + name + "-" + stamp).toString()));
    Files.createDirectories(dir);
    int gatewayPort = options.integer("gateway-port", 8680);
    Map<String, String> env = new TreeMap<>(BENCH_SERVICE_ENV);
    for (String kv : options.string("service-env", "").split(",")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        env.put(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
      }
    }
    env.putAll(passThrough());
    ClusterSettings settings =
        new ClusterSettings(
            home,
            options.string("profile", "embedded"),
            options.integer("nodes", 2),
            gatewayPort,
            options.string("heap", "512m"),
            Path.of(
                options.string(
                    "run-dir", home.resolve(".parley/bench-run-" + gatewayPort).toString())),
            options.has("gateway") ? options.string("gateway", null) : null,
            env);
    Report report = new Report(name);
    report.environment("machine", Machine.describe(home));
    Map<String, Object> cluster = new LinkedHashMap<>();
    cluster.put("profile", settings.profile());
    cluster.put("nodes", settings.nodes());
    cluster.put("heapPerProcess", settings.heap());
    cluster.put("serviceEnv", redacted(env));
    report.environment("cluster", cluster);
    String runId = Long.toString(System.currentTimeMillis() / 1000 % 10_000_000, 36);
    try (BenchCluster running =
        BenchCluster.start(settings, options.duration("start-timeout", Duration.ofMinutes(10)))) {
      List<NodeProbe> nodes = running.nodes();
      if (!nodes.isEmpty()) {
        report.environment("nodeJvmFlags", nodes.get(0).jvmFlags());
      }
      running
          .probe("gateway")
          .ifPresent(
              g -> {
                try {
                  report.environment("gatewayJvmFlags", g.jvmFlags());
                } catch (java.io.IOException e) {
                  report.note("gateway flags unreadable: " + e.getMessage());
                }
              });
      try {
        scenario.run(new Run(options, running, report, dir, runId));
      } catch (Exception | AssertionError e) {
        report.completed(false);
        report.note("failed: " + e);
        System.getLogger(Bench.class.getName())
            .log(System.Logger.Level.ERROR, "scenario " + name + " failed", e);
      }
    } finally {
      options.effective().forEach(report::parameter);
      report.write(dir);
      System.err.println("[bench] results in " + dir);
    }
    return report;
  }

  /** The bench-related PARLEY_* settings of the caller that the services should see too. */
  private static Map<String, String> passThrough() {
    Map<String, String> m = new TreeMap<>();
    System.getenv()
        .forEach(
            (k, v) -> {
              if (k.startsWith("PARLEY_DB_")
                  || k.equals("PARLEY_REGISTRY")
                  || k.equals("PARLEY_CONSUL_URL")) {
                m.put(k, v);
              }
            });
    return m;
  }

  private static Map<String, String> redacted(Map<String, String> env) {
    Map<String, String> m = new TreeMap<>(env);
    m.replaceAll((k, v) -> k.contains("PASSWORD") ? "***" : v);
    return m;
  }
}
