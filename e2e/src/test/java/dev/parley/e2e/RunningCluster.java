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
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A gateway and IM nodes started by {@code bin/parley up} on their own ports and run directory,
 * stopped with SIGTERM (as Ctrl-C would) when the tests are done. Setting the system property
 * {@code parley.e2e.gateway} to a running gateway's URL (e.g. {@code http://127.0.0.1:8080}) uses
 * that cluster instead, for fast local iterations.
 */
final class RunningCluster implements AutoCloseable {

  static final int GATEWAY_PORT = 18080;
  static final int FIRST_NODE_PORT = 18081;

  private final Process process;
  private final String gatewayUrl;
  private final List<String> output = new ArrayList<>();

  private RunningCluster(Process process, String gatewayUrl) {
    this.process = process;
    this.gatewayUrl = gatewayUrl;
  }

  static RunningCluster start(int nodes) throws IOException, InterruptedException {
    String existing = System.getProperty("parley.e2e.gateway");
    if (existing != null && !existing.isBlank()) {
      return new RunningCluster(null, existing);
    }
    Path home = Paths.get(System.getProperty("parley.home", "..")).toAbsolutePath().normalize();
    Path runDir = home.resolve("e2e/target/e2e-run");
    deleteTree(runDir.resolve("db"));
    ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/parley").toString(), "up");
    Map<String, String> env = pb.environment();
    env.put("PARLEY_RUN_DIR", runDir.toString());
    env.put("PARLEY_GATEWAY_PORT", Integer.toString(GATEWAY_PORT));
    env.put("PARLEY_NODE_PORT", Integer.toString(FIRST_NODE_PORT));
    env.put("PARLEY_NODES", Integer.toString(nodes));
    env.put("PARLEY_H2_PORT", "19092");
    env.put("PARLEY_HZ_PORT", "16900");
    env.put("PARLEY_CLUSTER", "parley-e2e-" + ProcessHandle.current().pid());
    env.put("PARLEY_HEAP", "384m");
    pb.redirectErrorStream(true);
    Process process = pb.start();
    RunningCluster cluster = new RunningCluster(process, "http://127.0.0.1:" + GATEWAY_PORT);
    cluster.awaitUp(Duration.ofMinutes(5));
    return cluster;
  }

  String gatewayUrl() {
    return gatewayUrl;
  }

  private void awaitUp(Duration timeout) throws InterruptedException, IOException {
    CompletableFuture<Boolean> up = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  synchronized (output) {
                    output.add(line);
                  }
                  System.out.println("[bin/parley] " + line);
                  if (line.startsWith("PARLEY_UP ")) {
                    up.complete(true);
                  }
                }
              } catch (IOException e) {
                up.completeExceptionally(e);
              }
              up.complete(false);
            },
            "bin-parley-output");
    reader.setDaemon(true);
    reader.start();
    boolean ok;
    try {
      ok = up.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      ok = false;
    } catch (java.util.concurrent.ExecutionException e) {
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
    process.destroy(); // SIGTERM: bin/parley stops the nodes, the gateway and the database.
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
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
