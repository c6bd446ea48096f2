package dev.parley.bench.scenario;

import dev.parley.bench.account.Gateway;
import dev.parley.bench.cluster.NodeProbe;
import dev.parley.bench.report.Json;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One generator process of the {@code idle} scenario (a process holds at most ~18,000 sockets).
 * Speaks to its coordinator in lines: it prints {@code CONNECTING} once its users are signed in and
 * it starts connecting them, {@code READY <json>} once they are connected, {@code STAT <online>
 * <dropped>} every second, and {@code DONE <json>} after {@code STOP} arrives on its standard
 * input.
 */
public final class IdleWorker {

  private IdleWorker() {}

  public static void main(Options o) throws Exception {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    URI gatewayUrl = URI.create(o.string("gateway", "http://127.0.0.1:8680"));
    int users = o.integer("users", 100);
    int from = o.integer("from", 0);
    String prefix = o.string("prefix", "idle");
    int block = o.integer("block", 0);
    int rate = o.integer("connect-rate", 500);
    Duration ping = o.duration("ping", Duration.ofSeconds(20));
    int retries = o.integer("connect-retries", 3);
    Gateway gateway = new Gateway(gatewayUrl, o.integer("gateway-concurrency", 16));
    try (Crowd crowd = new Crowd(gateway, 1, block)) {
      long t0 = System.nanoTime();
      List<Member> members = crowd.signIn(prefix, from, users, Duration.ofMinutes(30));
      double signInSeconds = (System.nanoTime() - t0) / 1e9;
      crowd.heartbeat(ping);
      out.println("CONNECTING");
      long t1 = System.nanoTime();
      // A deadline against a stuck run, not a target; 10 minutes flat cut a 100,000-connection
      // run short at 92,937 (handshakes ran at ~90/s on this machine).
      Duration connectDeadline = Duration.ofMinutes(10).plusMillis(100L * users);
      crowd.connectAll(members, rate, Math.max(50, rate), connectDeadline);
      // A real client tries again when its connect fails, is refused or drops; so does this one,
      // a few rounds, each failure still counted (connectFailures, handshakesRefused, drops).
      long retried = 0;
      for (int round = 0; round < retries; round++) {
        List<Member> left = members.stream().filter(m -> !m.welcomed).toList();
        if (left.isEmpty()) {
          break;
        }
        retried += left.size();
        crowd.connectAll(left, rate, Math.max(50, rate), connectDeadline);
      }
      double connectSeconds = (System.nanoTime() - t1) / 1e9;
      // Members, not welcomes: one dropped and connected again by a retry was welcomed twice.
      long welcomed = members.stream().filter(m -> m.welcomed).count();
      Map<String, Object> ready = new LinkedHashMap<>();
      ready.put("welcomed", welcomed);
      ready.put("droppedWhileConnecting", crowd.drops.get());
      ready.put("connectRetries", retried);
      ready.put("signInSeconds", signInSeconds);
      ready.put("connectSeconds", connectSeconds);
      Map<String, Integer> perNode = new TreeMap<>();
      for (Member m : members) {
        if (m.welcomed) {
          perNode.merge(m.nodeId, 1, Integer::sum);
        }
      }
      ready.put("perNode", perNode);
      ready.put("counts", crowd.counts());
      out.println("READY " + Json.write(ready).replace("\n", " "));
      crowd
          .timer()
          .scheduleAtFixedRate(
              () -> out.println("STAT " + crowd.online.get() + " " + crowd.drops.get()),
              1,
              1,
              TimeUnit.SECONDS);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.strip().equals("STOP")) {
        // wait for the coordinator
      }
      Map<String, Object> done = new LinkedHashMap<>(crowd.counts());
      done.put(
          "workerCpuSeconds", new NodeProbe("self", ProcessHandle.current().pid()).cpuSeconds());
      crowd.disconnectAll(Duration.ofSeconds(30));
      out.println("DONE " + Json.write(done).replace("\n", " "));
    }
  }
}
