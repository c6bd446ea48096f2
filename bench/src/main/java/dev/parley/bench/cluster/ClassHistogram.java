package dev.parley.bench.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed {@code jcmd <pid> GC.class_histogram}, and the difference between two of them divided by
 * the connections added: which classes each connection costs, in instances and bytes.
 */
public record ClassHistogram(Map<String, long[]> classes) {

  private static final Pattern LINE =
      Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+).*$");

  public static ClassHistogram parse(String jcmdOutput) {
    Map<String, long[]> m = new HashMap<>();
    for (String line : jcmdOutput.split("\n")) {
      Matcher x = LINE.matcher(line);
      if (x.matches()) {
        m.merge(
            x.group(3),
            new long[] {Long.parseLong(x.group(1)), Long.parseLong(x.group(2))},
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      }
    }
    return new ClassHistogram(m);
  }

  /** The {@code top} classes that grew most from {@code before}, per connection. */
  public List<Map<String, Object>> growthPerConnection(
      ClassHistogram before, long connections, int top) {
    List<Map<String, Object>> rows = new ArrayList<>();
    classes.forEach(
        (name, now) -> {
          long[] was = before.classes.getOrDefault(name, new long[2]);
          long bytes = now[1] - was[1];
          if (bytes > 0) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("class", name);
            row.put("instancesPerConnection", round((now[0] - was[0]) / (double) connections));
            row.put("bytesPerConnection", round(bytes / (double) connections));
            rows.add(row);
          }
        });
    rows.sort(
        (a, b) ->
            Double.compare(
                (double) b.get("bytesPerConnection"), (double) a.get("bytesPerConnection")));
    return rows.subList(0, Math.min(top, rows.size()));
  }

  /**
   * Classes with about one (or a whole number of) new instance per connection: the objects each
   * connection keeps alive, which point at what retains the rest.
   */
  public List<Map<String, Object>> objectsPerConnection(
      ClassHistogram before, long connections, int top) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Map<String, Object> row : growthPerConnection(before, connections, Integer.MAX_VALUE)) {
      double n = (double) row.get("instancesPerConnection");
      if (n >= 0.95
          && Math.abs(n - Math.rint(n)) <= 0.05
          && !((String) row.get("class")).startsWith("[")) {
        rows.add(row);
      }
    }
    return rows.subList(0, Math.min(top, rows.size()));
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
