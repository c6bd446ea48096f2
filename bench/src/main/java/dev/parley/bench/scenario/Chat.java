package dev.parley.bench.scenario;

import dev.parley.bench.account.Gateway;
import dev.parley.bench.cluster.CpuMeter;
import dev.parley.bench.report.Histogram;
import dev.parley.bench.report.Report;
import dev.parley.bench.report.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code chat}: many rooms and direct conversations, every message persisted, sent at a target rate
 * by random members. Measures the rate sustained (acks per second), ack latency (send → ack: the
 * message is committed) and delivery latency (send → push at another member), and errors. Sending
 * starts with a warm-up ({@code --warmup}, 30 s by default) whose rate ramps from a tenth of the
 * target to all of it and whose latencies, acks and errors are counted apart: a fresh JVM compiles
 * its hot paths then, and the first DMs open their conversations.
 */
final class Chat implements Scenario {

  @Override
  public void run(Run run) throws Exception {
    Options o = run.options();
    int users = o.integer("users", 200);
    int rooms = o.integer("rooms", 20);
    int roomSize = Math.min(users, o.integer("room-size", 10));
    double dmShare = o.integer("dm-percent", 30) / 100.0;
    int rate = o.integer("rate", 200);
    Duration duration = o.duration("duration", Duration.ofSeconds(30));
    Duration warmup = o.duration("warmup", Duration.ofSeconds(30));
    int bodyBytes = o.integer("body-bytes", 64);
    Report report = run.report();
    if (rate / (double) users > 15) {
      report.note("more than 15 sends/s per user: the node's frame budget (20/s) will refuse some");
    }

    Histogram ackLatency = new Histogram();
    Histogram delivery = new Histogram();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
    AtomicLong acked = new AtomicLong();
    AtomicLong ackedInWarmup = new AtomicLong();
    AtomicLong warmupErrors = new AtomicLong();
    Set<String> warmupIds = ConcurrentHashMap.newKeySet();
    // The last second's ack latencies, for a p99 over time (where in the run the tail comes from).
    AtomicReference<Histogram> ackWindow = new AtomicReference<>(new Histogram());
    AtomicLong delivered = new AtomicLong();
    Requests setup = new Requests();
    Gateway gateway = new Gateway(run.cluster().gateway(), 16);
    try (Crowd crowd = new Crowd(gateway, 2, 41)) {
      crowd.use(
          (m, type, frame) -> {
            switch (type) {
              case "message" -> {
                String body = Frames.string(frame, "body");
                if (body != null && body.startsWith("t")) {
                  int end = body.indexOf(' ');
                  delivery.record(
                      (System.nanoTime() - Long.parseLong(body.substring(1, end))) / 1000);
                  delivered.incrementAndGet();
                }
              }
              case "ack", "error" -> {
                String id = Frames.string(frame, "id");
                Long t = id == null ? null : sentAt.remove(id);
                if (t == null) {
                  setup.answer(frame);
                } else if ("ack".equals(type)) {
                  if (warmupIds.remove(id)) {
                    ackedInWarmup.incrementAndGet();
                  } else {
                    long micros = (System.nanoTime() - t) / 1000;
                    ackLatency.record(micros);
                    ackWindow.get().record(micros);
                    acked.incrementAndGet();
                  }
                } else if (warmupIds.remove(id)) {
                  warmupErrors.incrementAndGet();
                } else {
                  errors
                      .computeIfAbsent(Frames.string(frame, "code"), c -> new AtomicLong())
                      .incrementAndGet();
                }
              }
              default -> {
                // presence, member.joined, pong, ...
              }
            }
          });
      List<Member> all = crowd.signIn("chat-" + run.runId(), 0, users, Duration.ofMinutes(20));
      crowd.heartbeat(Duration.ofSeconds(20));
      crowd.connectAll(all, o.integer("connect-rate", 1000), 500, Duration.ofMinutes(5));

      // Rooms of roomSize consecutive users; conversations per user, as frame fields.
      List<List<String>> targets = new ArrayList<>();
      for (int i = 0; i < users; i++) {
        targets.add(new ArrayList<>());
      }
      Semaphore inFlight = new Semaphore(32);
      List<CompletableFuture<String>> joins = new ArrayList<>();
      for (int r = 0; r < rooms; r++) {
        int first = (r * roomSize) % users;
        String created =
            setup
                .send(all.get(first), "room.create", "\"name\":\"chat-" + r + "\"")
                .get(60, TimeUnit.SECONDS);
        long room = Frames.number(created.substring(created.indexOf("\"room\"")), "id", -1);
        for (int k = 0; k < roomSize; k++) {
          int u = (first + k) % users;
          targets.get(u).add("\"room\":" + room);
          if (k > 0) {
            inFlight.acquire();
            joins.add(
                setup
                    .send(all.get(u), "room.join", "\"room\":" + room)
                    .whenComplete((a, e) -> inFlight.release()));
          }
        }
      }
      for (CompletableFuture<String> f : joins) {
        f.get(5, TimeUnit.MINUTES);
      }

      String pad = "x".repeat(Math.max(0, bodyBytes - 30));
      Series ackRate = new Series("acks/s");
      Series ackP99Series = new Series("ack p99 ms (each second)");
      long start = System.nanoTime();
      CpuMeter[] cpu = {null};
      long[] last = {start, 0};
      var sampler =
          crowd
              .timer()
              .scheduleAtFixedRate(
                  () -> {
                    long now = System.nanoTime();
                    long a = acked.get() + ackedInWarmup.get();
                    ackRate.add((now - start) / 1e9, (a - last[1]) / ((now - last[0]) / 1e9));
                    Histogram second = ackWindow.getAndSet(new Histogram());
                    if (second.count() > 0) {
                      ackP99Series.add((now - start) / 1e9, second.percentile(99) / 1000.0);
                    }
                    last[0] = now;
                    last[1] = a;
                  },
                  1,
                  1,
                  TimeUnit.SECONDS);
      double warmupSeconds = warmup.toNanos() / 1e9;
      // Ramp: rate(t) = rate * (0.1 + 0.9 t / W), so the warm-up sends rate * W * 0.55 messages.
      long warmupSends = (long) (rate * warmupSeconds * 0.55);
      long total = warmupSends + (long) (rate * (duration.toNanos() / 1e9));
      long offline = 0;
      long offlineInWarmup = 0;
      ThreadLocalRandom random = ThreadLocalRandom.current();
      for (long i = 0; i < total; i++) {
        if (i == warmupSends) {
          cpu[0] = CpuMeter.start(run.cluster().nodes());
        }
        long wait = start + sendTimeNanos(i, rate, warmupSeconds, warmupSends) - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        int u = random.nextInt(users);
        Member m = all.get(u);
        String to;
        if (targets.get(u).isEmpty() || random.nextDouble() < dmShare) {
          int other = (u + 1 + random.nextInt(users - 1)) % users;
          to = "\"user\":" + all.get(other).account.userId();
        } else {
          to = targets.get(u).get(random.nextInt(targets.get(u).size()));
        }
        String id = m.nextId();
        boolean warming = i < warmupSends;
        if (warming) {
          warmupIds.add(id);
        }
        sentAt.put(id, System.nanoTime());
        String frame =
            "{\"type\":\"message.send\",\"id\":\""
                + id
                + "\","
                + to
                + (warming ? ",\"kind\":\"text\",\"body\":\"w" : ",\"kind\":\"text\",\"body\":\"t")
                + System.nanoTime()
                + " "
                + pad
                + "\"}";
        if (!m.send(frame)) {
          sentAt.remove(id);
          offline++;
          if (i < warmupSends) {
            offlineInWarmup++;
          }
        }
      }
      if (cpu[0] == null) {
        cpu[0] = CpuMeter.start(run.cluster().nodes());
      }
      long measuredFrom = Math.min(start + warmup.toNanos(), System.nanoTime());
      double sendSeconds = (System.nanoTime() - measuredFrom) / 1e9;
      crowd.await(() -> sentAt.isEmpty(), Duration.ofSeconds(30));
      double span = (System.nanoTime() - measuredFrom) / 1e9;
      sampler.cancel(false);
      var cpuUsed = cpu[0].stop();
      long errorCount = errors.values().stream().mapToLong(AtomicLong::get).sum();
      Map<String, Long> byCode = new java.util.TreeMap<>();
      errors.forEach((k, v) -> byCode.put(k, v.get()));

      double sustained = acked.get() / span;
      report.result("profile", run.cluster().settings().profile());
      report.result("sendSeconds", round(sendSeconds));
      report.result("warmupSeconds", warmup.toSeconds());
      report.result("warmupAcked", ackedInWarmup.get());
      report.result("warmupErrors", warmupErrors.get());
      report.result("sent", total - warmupSends - (offline - offlineInWarmup));
      report.result("notSentOffline", offline);
      report.result("acked", acked.get());
      report.result("unanswered", sentAt.size());
      report.result("errors", errorCount);
      report.result("errorsByCode", byCode);
      report.result("messagesPerSecondSustained", round(sustained));
      report.result("ackLatency", ackLatency.summaryMillis());
      report.result("deliveries", delivered.get());
      report.result("deliveryLatency", delivery.summaryMillis());
      report.result("cpu", cpuUsed);
      report.result("connections", crowd.counts());
      double ackP99 = ackLatency.percentile(99) / 1000.0;
      boolean mysql = "production".equals(run.cluster().settings().profile());
      report.target(
          "persisted msgs/s (MySQL)",
          ">= 5,000",
          Math.round(sustained) + (mysql ? "" : " (H2, not MySQL)"),
          sustained >= 5000 && mysql);
      report.target("ack latency p99", "<= 50 ms", ackP99 + " ms", ackP99 <= 50 && mysql);
      report.plot(
          "acknowledged messages per second, and each second's ack p99 (measured sends)",
          "seconds",
          "acks/s; ms",
          ackRate,
          ackP99Series);
      report.completed(
          sentAt.isEmpty() && errorCount == 0 && offline == 0 && crowd.drops.get() == 0);
      crowd.disconnectAll(Duration.ofSeconds(30));
    }
  }

  /** When (after the start) send {@code i} is due: on the warm-up's ramp, then at the rate. */
  static long sendTimeNanos(long i, int rate, double warmupSeconds, long warmupSends) {
    if (i >= warmupSends || warmupSeconds <= 0) {
      return (long) ((warmupSeconds + (i - warmupSends) / (double) rate) * 1e9);
    }
    // Solves rate * (0.1 t + 0.45 t^2 / W) = i for t.
    double a = 0.45 * rate / warmupSeconds;
    double b = 0.1 * rate;
    return (long) ((-b + Math.sqrt(b * b + 4 * a * i)) / (2 * a) * 1e9);
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
