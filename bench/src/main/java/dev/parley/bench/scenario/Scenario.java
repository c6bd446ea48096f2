package dev.parley.bench.scenario;

import java.util.Map;

/** One benchmark scenario; it fills the run's report and marks it completed when it got through. */
public interface Scenario {

  void run(Run run) throws Exception;

  /** The scenarios by name. */
  static Map<String, Scenario> all() {
    return Map.of(
        "idle", new Idle(), "fanout", new Fanout(), "chat", new Chat(), "storm", new Storm());
  }
}
