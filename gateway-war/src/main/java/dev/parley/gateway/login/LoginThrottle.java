package dev.parley.gateway.login;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Counts failed sign-ins per user name and per client address within a sliding window; past the
 * limit, further attempts are refused until old failures leave the window. State is per gateway
 * process.
 */
@ApplicationScoped
public class LoginThrottle {

  @Inject
  @ConfigProperty(name = "parley.gateway.login.max-failures", defaultValue = "5")
  int maxFailuresPerName;

  @Inject
  @ConfigProperty(name = "parley.gateway.login.max-failures-per-address", defaultValue = "30")
  int maxFailuresPerAddress;

  @Inject
  @ConfigProperty(name = "parley.gateway.login.window", defaultValue = "PT5M")
  Duration window;

  Clock clock = Clock.systemUTC();

  private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

  public boolean isBlocked(String username, String address) {
    return count("u:" + username) >= maxFailuresPerName
        || count("a:" + address) >= maxFailuresPerAddress;
  }

  public void recordFailure(String username, String address) {
    add("u:" + username);
    add("a:" + address);
  }

  public void recordSuccess(String username) {
    failures.remove("u:" + username);
  }

  private int count(String key) {
    Deque<Instant> times = failures.get(key);
    if (times == null) {
      return 0;
    }
    synchronized (times) {
      prune(times);
      if (times.isEmpty()) {
        failures.remove(key, times);
      }
      return times.size();
    }
  }

  private void add(String key) {
    Deque<Instant> times = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
    synchronized (times) {
      prune(times);
      times.addLast(clock.instant());
    }
  }

  private void prune(Deque<Instant> times) {
    Instant oldest = clock.instant().minus(window);
    while (!times.isEmpty() && times.peekFirst().isBefore(oldest)) {
      times.removeFirst();
    }
  }
}
