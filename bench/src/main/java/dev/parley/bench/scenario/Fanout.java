package dev.parley.bench.scenario;

import dev.parley.bench.account.Gateway;
import dev.parley.bench.cluster.CpuMeter;
import dev.parley.bench.cluster.WriteMeter;
import dev.parley.bench.report.Histogram;
import dev.parley.bench.report.Report;
import dev.parley.bench.report.Series;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code fanout}: one room of M members spread over the nodes; K messages sent into it at a given
 * rate (from several members, each within the node's per-connection frame budget). Measures
 * deliveries per second and send→receive latency, split by whether the receiver is on the sender's
 * node.
 */
final class Fanout implements Scenario {

  private static final System.Logger LOG = System.getLogger(Fanout.class.getName());

  @Override
  public void run(Run run) throws Exception {
    Options o = run.options();
    int members = o.integer("members", 1000);
    int messages = o.integer("messages", 1000);
    int rate = o.integer("rate", 200);
    int perSender = o.integer("sender-rate", 15);
    int senders =
        Math.min(members, o.integer("senders", Math.max(1, (rate + perSender - 1) / perSender)));
    int bodyBytes = o.integer("body-bytes", 64);
    // Sent first at the same rate and not measured: the nodes' delivery path is compiled by the
    // JIT during the first seconds of sending (C2 took a fifth of a node's CPU 2-12 s in), which
    // a node that has been delivering for a while has behind it.
    int warmup = o.integer("warmup-messages", Math.min(messages, rate * 10));
    Duration drain = o.duration("drain", Duration.ofSeconds(60));
    Report report = run.report();

    Histogram same = new Histogram();
    Histogram cross = new Histogram();
    Histogram ackLatency = new Histogram();
    AtomicLong deliveries = new AtomicLong();
    AtomicLong warmDeliveries = new AtomicLong();
    AtomicLong lastDelivery = new AtomicLong();
    AtomicLong frames = new AtomicLong();
    Requests requests = new Requests();
    Gateway gateway = new Gateway(run.cluster().gateway(), 16);
    try (Crowd crowd = new Crowd(gateway, 2, 40)) {
      crowd.use(
          (m, type, frame) -> {
            if (!"pong".equals(type)) {
              frames.incrementAndGet(); // heartbeat answers would never let the room look quiet
            }
            if ("message".equals(type)) {
              String body = Frames.string(frame, "body");
              if (body != null && body.startsWith("t")) {
                long now = System.nanoTime();
                int end = body.indexOf(' ');
                long sent = Long.parseLong(body.substring(1, end < 0 ? body.length() : end));
                String from = body.substring(end + 1, body.indexOf(' ', end + 1));
                long micros = (now - sent) / 1000;
                (from.equals(m.nodeId) ? same : cross).record(micros);
                deliveries.incrementAndGet();
                lastDelivery.set(now);
              } else if (body != null && body.startsWith("w")) {
                warmDeliveries.incrementAndGet();
              }
            } else if ("ack".equals(type) || "error".equals(type)) {
              requests.answer(frame);
            }
          });
      long t0 = System.nanoTime();
      List<Member> all = crowd.signIn("fanout-" + run.runId(), 0, members, Duration.ofMinutes(20));
      report.result("signInSeconds", round((System.nanoTime() - t0) / 1e9));
      crowd.heartbeat(Duration.ofSeconds(20));
      long tc = System.nanoTime();
      long welcomed =
          crowd.connectAll(all, o.integer("connect-rate", 1000), 500, Duration.ofMinutes(5));
      report.result("connectSeconds", round((System.nanoTime() - tc) / 1e9));
      long tj = System.nanoTime();
      if (welcomed < members) {
        report.note((members - welcomed) + " members could not connect");
      }
      Member owner = all.get(0);
      String created =
          requests.send(owner, "room.create", "\"name\":\"fanout\"").get(60, TimeUnit.SECONDS);
      long room = Frames.number(created.substring(created.indexOf("\"room\"")), "id", -1);
      // Joins: each one is announced to the members already in (member.joined) up to the node's
      // parley.imnode.room.announce-limit (500), only to the joiner's connections beyond it;
      // measured, as it is part of what a big room costs.
      Semaphore inFlight = new Semaphore(32);
      List<CompletableFuture<String>> joins = new ArrayList<>();
      for (Member m : all.subList(1, all.size())) {
        inFlight.acquire();
        CompletableFuture<String> f =
            requests
                .send(m, "room.join", "\"room\":" + room)
                .whenComplete((r, e) -> inFlight.release());
        joins.add(f);
      }
      // One deadline for all: a join whose connection dropped is never answered.
      try {
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
      } catch (Exception e) {
        // counted below
      }
      int joinErrors = 0;
      int joinsUnanswered = 0;
      for (CompletableFuture<String> f : joins) {
        if (!f.isDone()) {
          joinsUnanswered++;
        } else if (f.isCompletedExceptionally() || !Requests.isAck(f.getNow(""))) {
          joinErrors++;
        }
      }
      report.result("joinsUnanswered", joinsUnanswered);
      joinErrors += joinsUnanswered;
      report.result("joinSeconds", round((System.nanoTime() - tj) / 1e9));
      // Let the join notices finish arriving before measuring.
      long quiet = frames.get();
      for (int i = 0; i < 120; i++) {
        TimeUnit.SECONDS.sleep(1);
        long now = frames.get();
        if (now == quiet) {
          break;
        }
        quiet = now;
      }
      double setupSeconds = (System.nanoTime() - t0) / 1e9;
      LOG.log(
          System.Logger.Level.INFO,
          "room {0} of {1} members ready in {2} s",
          room,
          members,
          setupSeconds);

      List<Member> sending = all.subList(0, senders);
      int online = (int) all.stream().filter(m -> m.welcomed).count();
      long expected = (long) messages * (online - 1);
      String pad = "x".repeat(Math.max(0, bodyBytes - 40));
      long tw = System.nanoTime();
      int warmupErrors = 0;
      if (warmup > 0) {
        List<CompletableFuture<String>> warmAcks =
            send(requests, sending, room, warmup, rate, "w", pad, null);
        long warmExpected = (long) warmup * (online - 1);
        crowd.await(
            () -> warmDeliveries.get() >= warmExpected,
            drain.plusSeconds(warmup / Math.max(1, rate)));
        warmupErrors = errors(warmAcks);
        report.result("warmupMessages", warmup);
        report.result("warmupDeliveries", warmDeliveries.get());
        report.result("warmupSeconds", round((System.nanoTime() - tw) / 1e9));
        report.result("warmupErrors", warmupErrors);
      }
      Series perSecond = new Series("deliveries/s");
      CpuMeter cpu = CpuMeter.start(run.cluster().nodes());
      WriteMeter writes = WriteMeter.start(run.cluster());
      long start = System.nanoTime();
      long[] lastSample = {start, 0};
      var sampler =
          crowd
              .timer()
              .scheduleAtFixedRate(
                  () -> {
                    long now = System.nanoTime();
                    long d = deliveries.get();
                    perSecond.add(
                        (now - start) / 1e9, (d - lastSample[1]) / ((now - lastSample[0]) / 1e9));
                    lastSample[0] = now;
                    lastSample[1] = d;
                  },
                  1,
                  1,
                  TimeUnit.SECONDS);
      List<CompletableFuture<String>> acks =
          send(requests, sending, room, messages, rate, "t", pad, ackLatency);
      double sendSeconds = (System.nanoTime() - start) / 1e9;
      crowd.await(
          () -> deliveries.get() >= expected, drain.plusSeconds(messages / Math.max(1, rate)));
      sampler.cancel(false);
      var cpuUsed = cpu.stop();
      var written = writes.stop();
      int sendErrors = errors(acks);
      double span = (lastDelivery.get() - start) / 1e9;
      double perSec = deliveries.get() / Math.max(span, 1e-3);
      Histogram all99 = merged(same, cross);

      report.result("setupSeconds", round(setupSeconds));
      report.result("membersOnline", online);
      report.result("joinErrors", joinErrors);
      report.result("senders", senders);
      report.result("sendSeconds", round(sendSeconds));
      report.result("sendErrors", sendErrors);
      report.result("deliveriesExpected", expected);
      report.result("deliveries", deliveries.get());
      report.result("deliveriesPerSecond", round(perSec));
      report.result("ackLatency", ackLatency.summaryMillis());
      report.result("latency", all99.summaryMillis());
      report.result("latencySameNode", same.summaryMillis());
      report.result("latencyCrossNode", cross.summaryMillis());
      report.result("cpu", cpuUsed);
      report.result("writes", written);
      report.result("connections", crowd.counts());
      double p99 = all99.percentile(99) / 1000.0;
      report.target(
          "room deliveries/s (10,000 members)",
          ">= 500,000",
          Math.round(perSec) + " (" + members + " members)",
          perSec >= 500_000 && members >= 10_000);
      report.target("fan-out latency p99", "<= 100 ms", p99 + " ms", p99 <= 100);
      report.plot("deliveries per second", "seconds since first send", "deliveries/s", perSecond);
      report.completed(
          deliveries.get() == expected && sendErrors == 0 && joinErrors == 0 && warmupErrors == 0);
      crowd.disconnectAll(Duration.ofSeconds(30));
    }
  }

  /**
   * Sends {@code count} messages into {@code room} at {@code rate}, round-robin over {@code
   * sending}; each body starts with {@code prefix} and the send time (for the receivers' latency).
   * Records each ack's latency in {@code acks} when not null.
   */
  private static List<CompletableFuture<String>> send(
      Requests requests,
      List<Member> sending,
      long room,
      int count,
      int rate,
      String prefix,
      String pad,
      Histogram acks) {
    List<CompletableFuture<String>> answers = new ArrayList<>(count);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      long due = start + (long) (i * 1e9 / rate);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Member s = sending.get(i % sending.size());
      long sentAt = System.nanoTime();
      String body = prefix + sentAt + " " + s.nodeId + " " + pad;
      CompletableFuture<String> answer =
          requests.send(
              s,
              "message.send",
              "\"room\":" + room + ",\"kind\":\"text\",\"body\":\"" + body + "\"");
      if (acks != null) {
        answer = answer.whenComplete((a, e) -> acks.record((System.nanoTime() - sentAt) / 1000));
      }
      answers.add(answer);
    }
    return answers;
  }

  /** How many of {@code answers} are not acks (errors, or no answer within 30 s). */
  private static int errors(List<CompletableFuture<String>> answers) {
    int errors = 0;
    for (CompletableFuture<String> f : answers) {
      try {
        if (!Requests.isAck(f.get(30, TimeUnit.SECONDS))) {
          errors++;
        }
      } catch (Exception e) {
        errors++;
      }
    }
    return errors;
  }

  private static Histogram merged(Histogram a, Histogram b) {
    return Histogram.merge(a, b);
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
