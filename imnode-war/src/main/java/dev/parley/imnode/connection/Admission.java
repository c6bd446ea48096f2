package dev.parley.imnode.connection;

import com.sun.management.UnixOperatingSystemMXBean;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Admission control: the node refuses new connections cleanly (HTTP 503 {@code NODE_FULL} before
 * the upgrade, and not ready for the gateway) well before it runs out of file descriptors. The
 * limit is {@code parley.imnode.connection.max}, or, when that is 0, the process's open-file limit
 * less {@code parley.imnode.connection.fd-reserve} (sockets to the database and the cluster, jars,
 * logs). Whatever the limit, a handshake is also refused while fewer than half the reserve of file
 * descriptors is free. A draining node (shutting down) admits nobody.
 */
@ApplicationScoped
public class Admission {

  private static final System.Logger LOG = System.getLogger(Admission.class.getName());

  @Inject Connections connections;

  @Inject
  @ConfigProperty(name = "parley.imnode.connection.max", defaultValue = "0")
  int configuredMax;

  @Inject
  @ConfigProperty(name = "parley.imnode.connection.fd-reserve", defaultValue = "1000")
  int fdReserve;

  private final LongAdder refused = new LongAdder();
  private final OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private int max;
  private final AtomicLong openFdsCheckedAt = new AtomicLong();
  private volatile long openFds;

  @PostConstruct
  void init() {
    long fdLimit = maxFileDescriptors();
    long byFds = fdLimit > 0 ? fdLimit - fdReserve : Integer.MAX_VALUE;
    max = (int) Math.max(1, configuredMax > 0 ? Math.min(configuredMax, byFds) : byFds);
    LOG.log(
        Level.INFO,
        "admitting at most {0} connections (open-file limit {1}, reserve {2})",
        max,
        fdLimit,
        fdReserve);
  }

  /** Whether one more connection may open now; counts a refusal when not. */
  public boolean admit() {
    if (isFull()) {
      refused.increment();
      return false;
    }
    return true;
  }

  /** Whether the node is draining, at its connection limit or short of file descriptors. */
  public boolean isFull() {
    if (connections.isDraining() || connections.count() >= max) {
      return true;
    }
    long limit = maxFileDescriptors();
    return limit > 0 && limit - recentOpenFileDescriptors() < fdReserve / 2;
  }

  public int max() {
    return max;
  }

  /** Handshakes refused because the node was full. */
  public long refused() {
    return refused.sum();
  }

  /**
   * The open-file count, at most about a second old. Counting lists {@code /proc/self/fd}, which
   * costs as much as there are sockets (a few milliseconds of kernel time at 6,000), so one caller
   * at a time counts, at most once a second, and the others take the last count. When every
   * handshake thread that found the count stale listed the directory at once, the listings took a
   * fifth of a node's CPU in a burst of 6,000 handshakes (perf).
   */
  private long recentOpenFileDescriptors() {
    long now = System.nanoTime();
    long checkedAt = openFdsCheckedAt.get();
    boolean stale = checkedAt == 0 || now - checkedAt > 1_000_000_000L;
    if (stale && openFdsCheckedAt.compareAndSet(checkedAt, now)) {
      openFds = openFileDescriptors();
    }
    return openFds;
  }

  long maxFileDescriptors() {
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : -1;
  }

  long openFileDescriptors() {
    return os instanceof UnixOperatingSystemMXBean unix ? unix.getOpenFileDescriptorCount() : 0;
  }
}
