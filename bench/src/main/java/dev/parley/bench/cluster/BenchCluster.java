package dev.parley.bench.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A gateway and IM nodes started by {@code bin/parley up} as a child process (its stdout line
 * {@code PARLEY_UP <url>} says it is ready) and stopped with SIGTERM, as Ctrl-C would.
 */
public final class BenchCluster implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(BenchCluster.class.getName());

  private final ClusterSettings settings;
  private final URI gateway;
  private final List<String> output = new ArrayList<>();
  private Process process;

  private BenchCluster(ClusterSettings settings, URI gateway) {
    this.settings = settings;
    this.gateway = gateway;
  }

  public static BenchCluster start(ClusterSettings settings, Duration timeout)
      throws IOException, InterruptedException {
    if (settings.existing() != null) {
      return new BenchCluster(settings, URI.create(settings.existing()));
    }
    BenchCluster cluster =
        new BenchCluster(settings, URI.create("http://127.0.0.1:" + settings.gatewayPort()));
    cluster.launch(timeout);
    return cluster;
  }

  public URI gateway() {
    return gateway;
  }

  public ClusterSettings settings() {
    return settings;
  }

  /** The node processes (node-1 … node-N) whose pid files exist. */
  public List<NodeProbe> nodes() throws IOException {
    List<NodeProbe> nodes = new ArrayList<>();
    for (int i = 1; i <= settings.nodes(); i++) {
      probe("node-" + i).ifPresent(nodes::add);
    }
    return nodes;
  }

  public java.util.Optional<NodeProbe> probe(String name) throws IOException {
    Path pid = settings.runDir().resolve("pids/" + name + ".pid");
    if (!Files.exists(pid)) {
      return java.util.Optional.empty();
    }
    long id = Long.parseLong(Files.readString(pid).strip());
    return ProcessHandle.of(id).isPresent()
        ? java.util.Optional.of(new NodeProbe(name, id))
        : java.util.Optional.empty();
  }

  private void launch(Duration timeout) throws IOException, InterruptedException {
    deleteTree(settings.runDir());
    ProcessBuilder pb = new ProcessBuilder(settings.home().resolve("bin/parley").toString(), "up");
    Map<String, String> env = pb.environment();
    env.putAll(settings.env());
    int port = settings.gatewayPort();
    env.put("PARLEY_PROFILE", settings.profile());
    env.put("PARLEY_RUN_DIR", settings.runDir().toString());
    env.put("PARLEY_GATEWAY_PORT", Integer.toString(port));
    env.put("PARLEY_NODE_PORT", Integer.toString(port + 1));
    env.put("PARLEY_NODES", Integer.toString(settings.nodes()));
    env.put("PARLEY_H2_PORT", Integer.toString(port + 1000));
    env.put("PARLEY_HZ_PORT", Integer.toString(port - 1000));
    env.put("PARLEY_CLUSTER", "parley-bench-" + port + "-" + ProcessHandle.current().pid());
    env.put("PARLEY_HEAP", settings.heap());
    // Payara boots take minutes when the 2 cores are shared; bin/parley's own default is 240 s.
    env.put("PARLEY_START_TIMEOUT", Long.toString(Math.max(60, timeout.toSeconds() - 10)));
    pb.redirectErrorStream(true);
    LOG.log(
        System.Logger.Level.INFO,
        "starting {0} node(s), {1} profile, gateway :{2} (run dir {3})",
        settings.nodes(),
        settings.profile(),
        Integer.toString(port),
        settings.runDir());
    process = pb.start();
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
                  System.err.println("[cluster] " + line);
                  if (line.startsWith("PARLEY_UP ")) {
                    up.complete(true);
                  }
                }
              } catch (IOException e) {
                up.completeExceptionally(e);
              }
              up.complete(false);
            },
            "bin-parley-up");
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
      String tail;
      synchronized (output) {
        tail = String.join("\n", output.subList(Math.max(0, output.size() - 20), output.size()));
      }
      throw new IllegalStateException(
          "bin/parley up did not come up within " + timeout + ":\n" + tail);
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
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
