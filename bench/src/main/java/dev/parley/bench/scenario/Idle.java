package dev.parley.bench.scenario;

import dev.parley.bench.cluster.ClassHistogram;
import dev.parley.bench.cluster.CpuMeter;
import dev.parley.bench.cluster.NodeProbe;
import dev.parley.bench.report.Report;
import dev.parley.bench.report.Series;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * {@code idle}: N authenticated connections spread over the nodes, held with heartbeats for a set
 * time by several generator processes. Reports heap and RSS per connection per node (after a full
 * GC, against the same node before the connections), connections dropped and CPU used.
 */
final class Idle implements Scenario {

  private static final System.Logger LOG = System.getLogger(Idle.class.getName());
  private final Map<String, ClassHistogram> baselines =
      new java.util.concurrent.ConcurrentHashMap<>();

  @Override
  public void run(Run run) throws Exception {
    Options o = run.options();
    int connections = o.integer("connections", 1000);
    int processes = o.integer("processes", Math.max(1, (connections + 15_999) / 16_000));
    Duration hold = o.duration("duration", Duration.ofMinutes(1));
    int rate = o.integer("connect-rate", 1000);
    Duration ping = o.duration("ping", Duration.ofSeconds(20));
    int retries = o.integer("connect-retries", 3);
    boolean histograms = !o.flag("no-histograms");
    String workerHeap = o.string("worker-heap", "768m");
    Report report = run.report();

    List<NodeProbe> nodes = run.cluster().nodes();
    Map<String, long[]> before = new LinkedHashMap<>();
    for (NodeProbe n : nodes) {
      long heap = n.heapAfterGc();
      before.put(n.name(), new long[] {heap, n.rssBytes()});
      if (histograms) {
        String h = n.classHistogram();
        Files.writeString(run.dir().resolve("histogram-before-" + n.name() + ".txt"), h);
        baselines.put(n.name(), ClassHistogram.parse(h));
      }
    }

    List<Worker> workers = new ArrayList<>();
    int per = (connections + processes - 1) / processes;
    for (int p = 0; p < processes; p++) {
      int from = p * per;
      int count = Math.min(per, connections - from);
      if (count <= 0) {
        break;
      }
      workers.add(
          Worker.start(
              p,
              workerHeap,
              List.of(
                  "--gateway", run.cluster().gateway().toString(),
                  "--users", Integer.toString(count),
                  "--from", Integer.toString(from),
                  "--prefix", "idle-" + run.runId(),
                  "--block", Integer.toString(p),
                  "--connect-rate", Integer.toString(Math.max(1, rate / processes)),
                  "--ping", ping.toString(),
                  "--connect-retries", Integer.toString(retries))));
    }
    try {
      measure(run, workers, nodes, before, hold, histograms, connections);
    } finally {
      for (Worker w : workers) {
        w.process.destroy();
      }
    }
  }

  private void measure(
      Run run,
      List<Worker> workers,
      List<NodeProbe> nodes,
      Map<String, long[]> before,
      Duration hold,
      boolean histograms,
      int connections)
      throws Exception {
    Report report = run.report();
    Series online = new Series("connections open");
    long t0 = System.nanoTime();
    Map<String, Long> perNode = new LinkedHashMap<>();
    long welcomed = 0;
    long retried = 0;
    long droppedConnecting = 0;
    double signIn = 0;
    double connect = 0;
    // A deadline against a hung worker, not a target: signing in and connecting 100,000 users
    // took over 30 minutes here once.
    long readyDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30 + connections / 2_000);
    // The nodes' CPU from the first worker's first handshake to the last worker's last: what a
    // handshake costs a node (the sign-ins before it cost the gateway, not the nodes).
    for (Worker w : workers) {
      w.connecting.get(Math.max(1, readyDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    }
    CpuMeter connectCpu = CpuMeter.start(nodes);
    for (Worker w : workers) {
      JsonObject ready =
          w.ready.get(Math.max(1, readyDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      welcomed += ready.getJsonNumber("welcomed").longValue();
      retried += ready.getJsonNumber("connectRetries").longValue();
      droppedConnecting += ready.getJsonNumber("droppedWhileConnecting").longValue();
      signIn = Math.max(signIn, ready.getJsonNumber("signInSeconds").doubleValue());
      connect = Math.max(connect, ready.getJsonNumber("connectSeconds").doubleValue());
      ready
          .getJsonObject("perNode")
          .forEach((k, v) -> perNode.merge(k, Long.parseLong(v.toString()), Long::sum));
    }
    Map<String, Object> connectCpuUsed = connectCpu.stop();
    LOG.log(System.Logger.Level.INFO, "{0} connections open: {1}", welcomed, perNode);
    report.result("connectionsOpened", welcomed);
    report.result("connectRetries", retried);
    report.result("droppedWhileConnecting", droppedConnecting);
    report.result("signInSecondsMax", round(signIn));
    report.result("connectSecondsMax", round(connect));
    report.result("handshakesPerSecond", round(welcomed / Math.max(connect, 1e-3)));
    report.result("connectionsPerNode", perNode);
    report.result("connectCpu", connectCpuUsed);
    report.result("nodeCpuMsPerHandshake", cpuPerHandshake(connectCpuUsed, perNode));

    // Hold: sample every second, measure the nodes once settled and once more at the end.
    CpuMeter cpu = CpuMeter.start(nodes);
    long holdStart = System.nanoTime();
    long holdEnd = holdStart + hold.toNanos();
    Map<String, Map<String, Object>> settled = null;
    while (System.nanoTime() < holdEnd) {
      long sum = 0;
      for (Worker w : workers) {
        sum += w.online.get(0);
      }
      online.add((System.nanoTime() - t0) / 1e9, sum);
      if (settled == null && System.nanoTime() - holdStart > Math.min(hold.toNanos() / 3, 20e9)) {
        settled = footprint(nodes, before, perNode, run.dir(), "settled", false);
      }
      TimeUnit.MILLISECONDS.sleep(1000);
    }
    Map<String, Object> cpuUsed = cpu.stop();
    // Counted at the end of the hold: the footprint below forces full GCs and class histograms on
    // every node, and a node paused that long can close a few clients whose pings waited unread.
    long heldAtHoldEnd = 0;
    long droppedAtHoldEnd = 0;
    for (Worker w : workers) {
      heldAtHoldEnd += w.online.get(0);
      droppedAtHoldEnd += w.online.get(1);
    }
    Map<String, Map<String, Object>> end =
        footprint(nodes, before, perNode, run.dir(), "after", histograms);

    long dropped = 0;
    long held = 0;
    double workerCpu = 0;
    List<Map<String, Object>> workerCounts = new ArrayList<>();
    for (Worker w : workers) {
      JsonObject done = w.stop();
      dropped += done.getJsonNumber("dropped").longValue();
      held += done.getJsonNumber("online").longValue();
      workerCpu += done.getJsonNumber("workerCpuSeconds").doubleValue();
      workerCounts.add(toMap(done));
    }

    // Drops while others were still connecting (then connected again by a retry round) are
    // reported apart; the target is about the hold.
    long droppedInHold = droppedAtHoldEnd - droppedConnecting;
    report.result("connectionsHeldAtHoldEnd", heldAtHoldEnd);
    report.result("connectionsHeldAtEnd", held);
    report.result("dropped", dropped);
    report.result("droppedDuringHold", droppedInHold);
    report.result("droppedAfterHoldWhileMeasuring", dropped - droppedAtHoldEnd);
    report.result("holdSeconds", hold.toSeconds());
    report.result("cpu", cpuUsed);
    report.result("generatorProcesses", workers.size());
    report.result("generatorCpuSeconds", round(workerCpu));
    report.result("workers", workerCounts);
    double worstHeap = 0;
    double worstRss = 0;
    for (Map.Entry<String, Map<String, Object>> e : end.entrySet()) {
      Map<String, Object> node = new LinkedHashMap<>();
      node.put("node", e.getKey());
      node.put("settled", settled == null ? Map.of() : settled.get(e.getKey()));
      node.put("end", e.getValue());
      report.node(node);
      worstHeap =
          Math.max(worstHeap, (double) e.getValue().getOrDefault("heapBytesPerConnection", 0.0));
      worstRss =
          Math.max(worstRss, (double) e.getValue().getOrDefault("rssBytesPerConnection", 0.0));
    }
    report.result("heapBytesPerConnectionWorstNode", round(worstHeap));
    report.result("rssBytesPerConnectionWorstNode", round(worstRss));
    report.target(
        "heap per idle connection", "<= 8 KB", kb(worstHeap), held > 0 && worstHeap <= 8 * 1024);
    report.target(
        "RSS per idle connection", "<= 16 KB", kb(worstRss), held > 0 && worstRss <= 16 * 1024);
    report.target(
        "connections held",
        ">= 100,000 for 10 min, >= 6 nodes, 0 drops",
        heldAtHoldEnd
            + " for "
            + hold.toSeconds()
            + " s, "
            + nodes.size()
            + " nodes, "
            + droppedInHold
            + " drops",
        heldAtHoldEnd >= 100_000
            && hold.toMinutes() >= 10
            && nodes.size() >= 6
            && droppedInHold == 0);
    report.plot("connections held", "seconds since start", "open connections", online);
    report.completed(welcomed == connections && heldAtHoldEnd == connections && droppedInHold == 0);
    if (dropped > droppedAtHoldEnd) {
      report.note(
          (dropped - droppedAtHoldEnd)
              + " connections dropped after the hold, while the nodes were measured (full GC and"
              + " class histogram)");
    }
    if (welcomed != connections) {
      report.note((connections - welcomed) + " of " + connections + " connections never opened");
    }
    if (droppedConnecting > 0) {
      report.note(
          droppedConnecting
              + " connections dropped while the others were connecting (connected again by a"
              + " retry round; close codes in workers[].dropCloseCodes)");
    }
  }

  /** Heap and RSS of each node after a full GC, minus the baseline, per connection it holds. */
  private Map<String, Map<String, Object>> footprint(
      List<NodeProbe> nodes,
      Map<String, long[]> before,
      Map<String, Long> perNode,
      Path dir,
      String label,
      boolean histogram)
      throws IOException, InterruptedException {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    for (NodeProbe n : nodes) {
      if (!n.alive()) {
        continue;
      }
      long heap = n.heapAfterGc();
      long rss = n.rssBytes();
      long conns = perNode.getOrDefault(n.name(), 0L);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("connections", conns);
      m.put("openFiles", n.openFiles());
      m.put("heapBaselineBytes", before.get(n.name())[0]);
      m.put("heapBytes", heap);
      m.put("rssBaselineBytes", before.get(n.name())[1]);
      m.put("rssBytes", rss);
      m.put(
          "heapBytesPerConnection",
          conns == 0 ? 0.0 : round((heap - before.get(n.name())[0]) / (double) conns));
      m.put(
          "rssBytesPerConnection",
          conns == 0 ? 0.0 : round((rss - before.get(n.name())[1]) / (double) conns));
      out.put(n.name(), m);
      if (histogram && conns > 0) {
        String h = n.classHistogram();
        Files.writeString(dir.resolve("histogram-" + label + "-" + n.name() + ".txt"), h);
        ClassHistogram base = baselines.get(n.name());
        if (base != null) {
          m.put(
              "topClassesPerConnection",
              ClassHistogram.parse(h).growthPerConnection(base, conns, 25));
          m.put(
              "objectsOnePerConnection",
              ClassHistogram.parse(h).objectsPerConnection(base, conns, 40));
        }
      }
    }
    return out;
  }

  private static Map<String, Object> toMap(JsonObject o) {
    Map<String, Object> m = new LinkedHashMap<>();
    o.forEach((k, v) -> m.put(k, v.toString()));
    return m;
  }

  static String kb(double bytes) {
    return String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024);
  }

  /** Per node: CPU milliseconds over the connect phase per connection it took. */
  static Map<String, Double> cpuPerHandshake(
      Map<String, Object> cpuUsed, Map<String, Long> connectionsPerNode) {
    Map<String, Double> out = new LinkedHashMap<>();
    connectionsPerNode.forEach(
        (node, opened) -> {
          if (cpuUsed.get(node) instanceof Map<?, ?> used
              && used.get("cpuSeconds") instanceof Number seconds
              && opened > 0) {
            out.put(node, round(1000 * seconds.doubleValue() / opened));
          }
        });
    return out;
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  /** A generator process running {@link IdleWorker}. */
  private static final class Worker {
    final Process process;
    final CompletableFuture<Void> connecting = new CompletableFuture<>();
    final CompletableFuture<JsonObject> ready = new CompletableFuture<>();
    final CompletableFuture<JsonObject> done = new CompletableFuture<>();
    final AtomicLongArray online = new AtomicLongArray(2);

    private Worker(Process process) {
      this.process = process;
    }

    static Worker start(int index, String heap, List<String> args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx" + heap);
      cmd.add("-XX:+UseSerialGC");
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add("dev.parley.bench.command.Bench");
      cmd.add("idle-worker");
      cmd.addAll(args);
      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Worker w = new Worker(p);
      Thread t =
          new Thread(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(
                        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                  String line;
                  while ((line = r.readLine()) != null) {
                    if (line.equals("CONNECTING")) {
                      w.connecting.complete(null);
                    } else if (line.startsWith("READY ")) {
                      w.ready.complete(parse(line.substring(6)));
                    } else if (line.startsWith("DONE ")) {
                      w.done.complete(parse(line.substring(5)));
                    } else if (line.startsWith("STAT ")) {
                      String[] f = line.split(" ");
                      w.online.set(0, Long.parseLong(f[1]));
                      w.online.set(1, Long.parseLong(f[2]));
                    }
                  }
                } catch (IOException e) {
                  w.ready.completeExceptionally(e);
                }
                IllegalStateException gone =
                    new IllegalStateException("generator process " + index + " ended early");
                w.connecting.completeExceptionally(gone);
                w.ready.completeExceptionally(gone);
                w.done.completeExceptionally(gone);
              },
              "idle-worker-" + index);
      t.setDaemon(true);
      t.start();
      return w;
    }

    JsonObject stop() throws Exception {
      OutputStream in = process.getOutputStream();
      in.write("STOP\n".getBytes(StandardCharsets.UTF_8));
      in.flush();
      JsonObject result = done.get(2, TimeUnit.MINUTES);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      return result;
    }

    private static JsonObject parse(String json) {
      return Json.createReader(new StringReader(json)).readObject();
    }
  }
}
