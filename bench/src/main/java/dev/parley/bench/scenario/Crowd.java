package dev.parley.bench.scenario;

import dev.parley.bench.account.Account;
import dev.parley.bench.account.Gateway;
import dev.parley.bench.socket.EventLoop;
import dev.parley.bench.socket.WebSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Many bench users: signed in and routed through the gateway, connected over a few event loops from
 * spread loopback source addresses (127.0.B.2 … 127.0.B.33 for address block B, so that several
 * generator processes never share one), kept alive with pings, and counted.
 */
final class Crowd implements AutoCloseable {

  /** How long a handshake may take before it counts as failed (minutes on a loaded 2-core box). */
  static final Duration CONNECT_TIMEOUT =
      Duration.ofSeconds(Long.getLong("parley.bench.connect-timeout-seconds", 60));

  private final Gateway gateway;
  private final EventLoop[] loops;
  private final InetAddress[] locals;
  private final List<Member> members = new ArrayList<>();
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "crowd-timer");
            t.setDaemon(true);
            return t;
          });
  private final Map<Member, Long> attempts = new ConcurrentHashMap<>();
  private final AtomicLong next = new AtomicLong();
  private volatile Traffic traffic = (m, type, frame) -> {};

  final AtomicInteger online = new AtomicInteger();
  final AtomicLong welcomes = new AtomicLong();
  final AtomicLong refusedHandshakes = new AtomicLong();
  final AtomicLong failedConnects = new AtomicLong();
  final AtomicLong drops = new AtomicLong();
  final Map<Integer, AtomicLong> dropCodes = new ConcurrentHashMap<>();
  final Map<Integer, AtomicLong> refusalStatuses = new ConcurrentHashMap<>();
  final Map<String, AtomicLong> refusalsByNode = new ConcurrentHashMap<>();
  private final Object changed = new Object();

  Crowd(Gateway gateway, int loopCount, int addressBlock) throws IOException {
    this.gateway = gateway;
    loops = new EventLoop[loopCount];
    for (int i = 0; i < loopCount; i++) {
      loops[i] = new EventLoop("bench-loop-" + i);
    }
    locals = new InetAddress[32];
    for (int i = 0; i < locals.length; i++) {
      locals[i] = address(addressBlock, i + 2);
    }
    timer.scheduleAtFixedRate(this::expireAttempts, 1, 1, TimeUnit.SECONDS);
  }

  private static InetAddress address(int block, int last) throws UnknownHostException {
    return InetAddress.getByAddress(new byte[] {127, 0, (byte) block, (byte) last});
  }

  Gateway gateway() {
    return gateway;
  }

  Traffic scenario() {
    return traffic;
  }

  void use(Traffic t) {
    traffic = t;
  }

  List<Member> members() {
    return members;
  }

  /** Signs in (creating when new) {@code count} users named {@code prefix-i}, each routed. */
  List<Member> signIn(String prefix, int from, int count, Duration timeout)
      throws InterruptedException {
    List<Account> accounts = gateway.signInAll(count, i -> prefix + "-" + (from + i), timeout);
    List<Member> added = new ArrayList<>(count);
    for (Account a : accounts) {
      Member m = new Member(members.size(), a, this);
      members.add(m);
      added.add(m);
    }
    return added;
  }

  /** Starts connecting one member to the node it was routed to. */
  void connect(Member m) {
    long n = next.getAndIncrement();
    m.leaving = false;
    m.welcomed = false;
    attempts.put(m, System.nanoTime());
    WebSocket ws = WebSocket.on(loops[(int) (n % loops.length)], m);
    m.socket = ws;
    ws.connect(
        locals[(int) ((n / loops.length) % locals.length)], m.account.node(), m.account.token());
  }

  /**
   * Connects {@code list} at most {@code perSecond} new handshakes a second and at most {@code
   * inFlight} unanswered ones, then waits until each is welcomed or failed. Returns how many were
   * welcomed.
   */
  long connectAll(List<Member> list, int perSecond, int inFlight, Duration timeout)
      throws InterruptedException {
    long before = welcomes.get();
    long failedBefore = failedConnects.get() + refusedHandshakes.get();
    long start = System.nanoTime();
    for (int i = 0; i < list.size(); i++) {
      // pace: the i-th handshake starts no earlier than i / perSecond after the start
      long due = start + (long) (i * 1e9 / perSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      await(() -> attempts.size() < inFlight, CONNECT_TIMEOUT.multipliedBy(2));
      connect(list.get(i));
    }
    await(
        () ->
            welcomes.get() - before + failedConnects.get() + refusedHandshakes.get() - failedBefore
                >= list.size(),
        timeout);
    return welcomes.get() - before;
  }

  /** Waits until {@code condition} holds or {@code timeout} passes; returns whether it held. */
  boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (changed) {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        changed.wait(Math.max(1, Math.min(100, left / 1_000_000)));
      }
    }
    return true;
  }

  void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** Pings every welcomed member once per {@code interval}, spread evenly over it. */
  void heartbeat(Duration interval) {
    long seconds = Math.max(1, interval.toSeconds());
    AtomicLong tick = new AtomicLong();
    timer.scheduleAtFixedRate(
        () -> {
          long t = tick.getAndIncrement() % seconds;
          for (int i = (int) t; i < members.size(); i += (int) seconds) {
            Member m = members.get(i);
            if (m.welcomed) {
              m.send("{\"type\":\"ping\"}");
            }
          }
        },
        1,
        1,
        TimeUnit.SECONDS);
  }

  ScheduledExecutorService timer() {
    return timer;
  }

  /** Closes every member's connection (not counted as drops) and waits for them to go. */
  void disconnectAll(Duration timeout) throws InterruptedException {
    for (Member m : members) {
      m.leaving = true;
      WebSocket ws = m.socket;
      if (ws != null) {
        ws.close();
      }
    }
    await(() -> online.get() == 0 && attempts.isEmpty(), timeout);
  }

  void opened(Member m) {
    // the upgrade is done; the attempt ends at welcome
  }

  void welcomed(Member m) {
    attempts.remove(m);
    online.incrementAndGet();
    welcomes.incrementAndGet();
    traffic.welcomed(m);
    signal();
  }

  void closed(Member m, boolean wasOpen, boolean wasWelcomed, int status, int code) {
    boolean attempt = attempts.remove(m) != null;
    if (wasWelcomed) {
      online.decrementAndGet();
      if (!m.leaving) {
        drops.incrementAndGet();
        dropCodes.computeIfAbsent(code, c -> new AtomicLong()).incrementAndGet();
        traffic.dropped(m, code);
      }
    } else if (attempt && !m.leaving) {
      if (status > 0) {
        refusedHandshakes.incrementAndGet();
        refusalStatuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
        refusalsByNode
            .computeIfAbsent(m.account.node().getAuthority(), n -> new AtomicLong())
            .incrementAndGet();
      } else {
        failedConnects.incrementAndGet();
      }
      traffic.refused(m, status);
    }
    signal();
  }

  private void expireAttempts() {
    long limit = System.nanoTime() - CONNECT_TIMEOUT.toNanos();
    attempts.forEach(
        (m, since) -> {
          if (since < limit && m.socket != null) {
            m.socket.close(); // counted as a failed connect when it ends
          }
        });
  }

  Map<String, Object> counts() {
    Map<String, Object> c = new java.util.LinkedHashMap<>();
    c.put("welcomed", welcomes.get());
    c.put("online", online.get());
    c.put("dropped", drops.get());
    c.put("dropCloseCodes", flat(dropCodes));
    c.put("handshakesRefused", refusedHandshakes.get());
    c.put("refusalStatuses", flat(refusalStatuses));
    Map<String, Long> byNode = new TreeMap<>();
    refusalsByNode.forEach((k, v) -> byNode.put(k, v.get()));
    c.put("refusalsByNode", byNode);
    c.put("connectFailures", failedConnects.get());
    c.put("gatewayFailures", gateway.failures());
    return c;
  }

  private static Map<String, Long> flat(Map<Integer, AtomicLong> m) {
    Map<String, Long> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(Integer.toString(k), v.get()));
    return out;
  }

  @Override
  public void close() throws IOException {
    timer.shutdownNow();
    for (EventLoop loop : loops) {
      loop.close();
    }
  }
}
