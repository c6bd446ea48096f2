package dev.parley.bench.scenario;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Command-line options ({@code --name value}), read as typed values with defaults where each
 * scenario uses them. Durations are ISO-8601 ({@code PT10M}) or a number of seconds.
 */
public final class Options {

  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, Object> used = new LinkedHashMap<>();

  public static Options parse(List<String> args) {
    Options o = new Options();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (!a.startsWith("--")) {
        throw new IllegalArgumentException("expected --option, got " + a);
      }
      String name = a.substring(2);
      int eq = name.indexOf('=');
      if (eq > 0) {
        o.values.put(name.substring(0, eq), name.substring(eq + 1));
      } else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
        o.values.put(name, args.get(++i));
      } else {
        o.values.put(name, "true");
      }
    }
    return o;
  }

  public Options with(String name, String value) {
    values.put(name, value);
    return this;
  }

  public int integer(String name, int fallback) {
    int v =
        values.containsKey(name) ? Integer.parseInt(values.get(name).replace("_", "")) : fallback;
    used.put(name, v);
    return v;
  }

  public Duration duration(String name, Duration fallback) {
    Duration v = fallback;
    if (values.containsKey(name)) {
      String s = values.get(name);
      v =
          s.startsWith("P")
              ? Duration.parse(s)
              : Duration.ofMillis((long) (Double.parseDouble(s) * 1000));
    }
    used.put(name, v.toString());
    return v;
  }

  public String string(String name, String fallback) {
    String v = values.getOrDefault(name, fallback);
    used.put(name, v);
    return v;
  }

  public boolean flag(String name) {
    boolean v = Boolean.parseBoolean(values.getOrDefault(name, "false"));
    used.put(name, v);
    return v;
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Every option read so far with the value in effect (defaults included), for the report. */
  public Map<String, Object> effective() {
    return used;
  }

  /** Options given that no scenario read: likely typos. */
  public List<String> unused() {
    return values.keySet().stream().filter(k -> !used.containsKey(k)).toList();
  }
}
