package dev.parley.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A gateway and IM nodes started by {@code bin/parley up} on their own ports and run directory,
 * stopped with SIGTERM (as Ctrl-C would). Setting the system property {@code parley.e2e.gateway} to
 * a running gateway's URL uses that cluster instead, for fast local iterations.
 */
final class RunningCluster implements AutoCloseable {

  /** How to start one cluster. */
  record Settings(
      String name, String profile, int nodes, int gatewayPort, Map<String, String> env) {

    static Settings embedded(String name, int nodes, int gatewayPort) {
      return new Settings(name, "embedded", nodes, gatewayPort, Map.of());
    }

    /** The production profile on the test MySQL and Consul that {@code bin/parley test} starts. */
    static Settings production(String name, int nodes, int gatewayPort) {
      Map<String, String> env = new HashMap<>();
      env.put(
          "PARLEY_DB_URL",
          required("PARLEY_TEST_MYSQL_URL")
              + "?useSSL=false&allowPublicKeyRetrieval=true&characterEncoding=UTF-8");
      env.put("PARLEY_DB_USER", required("PARLEY_TEST_MYSQL_USER"));
      env.put("PARLEY_DB_PASSWORD", System.getenv().getOrDefault("PARLEY_TEST_MYSQL_PASSWORD", ""));
      env.put("PARLEY_REGISTRY", "consul");
      env.put("PARLEY_CONSUL_URL", consulUrl());
      return new Settings(name, "production", nodes, gatewayPort, env);
    }

    /** The same cluster with a JVM option for every process (a system property, say). */
    Settings withJavaOptions(String options) {
      Map<String, String> more = new HashMap<>(env);
      more.put("PARLEY_JAVA_OPTS", options);
      return new Settings(name, profile, nodes, gatewayPort, more);
    }
  }

  static String required(String variable) {
    String value = System.getenv(variable);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          variable
              + " is not set: run the suite with bin/parley test, which starts MySQL and Consul");
    }
    return value;
  }

  static String consulUrl() {
    return required("PARLEY_TEST_CONSUL_URL");
  }

  private final Settings settings;
  private final Path runDir;
  private final String gatewayUrl;
  private final List<String> output = new ArrayList<>();
  private Process process;

  private RunningCluster(Settings settings, Path runDir, String gatewayUrl) {
    this.settings = settings;
    this.runDir = runDir;
    this.gatewayUrl = gatewayUrl;
  }

  static RunningCluster start(Settings settings) throws IOException, InterruptedException {
    String existing = System.getProperty("parley.e2e.gateway");
    if (existing != null && !existing.isBlank()) {
      return new RunningCluster(settings, null, existing);
    }
    Path home = home();
    Path runDir = home.resolve("e2e/target/run-" + settings.name());
    deleteTree(runDir);
    RunningCluster cluster =
        new RunningCluster(settings, runDir, "http://127.0.0.1:" + settings.gatewayPort());
    cluster.launch();
    return cluster;
  }

  private static Path home() {
    return Paths.get(System.getProperty("parley.home", "..")).toAbsolutePath().normalize();
  }

  String gatewayUrl() {
    return gatewayUrl;
  }

  int nodePort(int node) {
    return settings.gatewayPort() + node;
  }

  /** The pid of one process of the cluster ({@code gateway}, {@code node-1}, …). */
  long pid(String name) throws IOException {
    return Long.parseLong(Files.readString(runDir.resolve("pids/" + name + ".pid")).strip());
  }

  /** Stops the whole cluster and starts it again on the same data (database and keys). */
  void restart() throws IOException, InterruptedException {
    close();
    launch();
  }

  private void launch() throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(home().resolve("bin/parley").toString(), "up");
    Map<String, String> env = pb.environment();
    env.putAll(settings.env());
    env.put("PARLEY_PROFILE", settings.profile());
    env.put("PARLEY_RUN_DIR", runDir.toString());
    env.put("PARLEY_GATEWAY_PORT", Integer.toString(settings.gatewayPort()));
    env.put("PARLEY_NODE_PORT", Integer.toString(settings.gatewayPort() + 1));
    env.put("PARLEY_NODES", Integer.toString(settings.nodes()));
    env.put("PARLEY_H2_PORT", Integer.toString(settings.gatewayPort() + 1000));
    env.put("PARLEY_HZ_PORT", Integer.toString(settings.gatewayPort() - 1000));
    env.put(
        "PARLEY_CLUSTER", "parley-e2e-" + settings.name() + "-" + ProcessHandle.current().pid());
    env.put("PARLEY_HEAP", "384m");
    // Four Payara processes booting at once on two busy cores can take minutes.
    env.put("PARLEY_START_TIMEOUT", "420");
    pb.redirectErrorStream(true);
    process = pb.start();
    awaitUp(Duration.ofMinutes(8));
  }

  private void awaitUp(Duration timeout) throws InterruptedException, IOException {
    CompletableFuture<Boolean> up = new CompletableFuture<>();
    Process p = process;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (output) {
                    output.add(line);
                  }
                  System.out.println("[" + settings.name() + "] " + line);
                  if (line.startsWith("PARLEY_UP ")) {
                    up.complete(true);
                  }
                }
              } catch (IOException e) {
                up.completeExceptionally(e);
              }
              up.complete(false);
            },
            "bin-parley-" + settings.name());
    reader.setDaemon(true);
    reader.start();
    boolean ok;
    try {
      ok = up.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      ok = false;
    } catch (ExecutionException e) {
      throw new IOException(e.getCause());
    }
    if (!ok) {
      close();
      throw new IllegalStateException("bin/parley up did not come up: " + tail());
    }
  }

  private String tail() {
    synchronized (output) {
      return String.join("\n", output.subList(Math.max(0, output.size() - 20), output.size()));
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process == null) {
      return;
    }
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy(); // SIGTERM: bin/parley stops the nodes, the gateway and the database.
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
    children.forEach(ProcessHandle::destroyForcibly);
    process = null;
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
