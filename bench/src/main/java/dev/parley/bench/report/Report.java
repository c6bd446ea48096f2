package dev.parley.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of one scenario run, written as {@code result.json}, {@code result.txt} and {@code
 * plot.svg}. Its JSON has {@code scenario}, {@code completed}, {@code startedAt}, {@code
 * finishedAt}, {@code parameters}, {@code results}, {@code targets}, {@code nodes}, {@code
 * environment} and {@code series}.
 */
public final class Report {

  /** One target of the issue next to what was measured. */
  public record Target(String metric, String target, String measured, boolean met) {}

  private final String scenario;
  private final Instant startedAt = Instant.now();
  private final Map<String, Object> parameters = new LinkedHashMap<>();
  private final Map<String, Object> results = new LinkedHashMap<>();
  private final List<Target> targets = new ArrayList<>();
  private final List<Map<String, Object>> nodes = new ArrayList<>();
  private final Map<String, Object> environment = new LinkedHashMap<>();
  private final List<Series> series = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private String plotTitle = "";
  private String xLabel = "";
  private String yLabel = "";
  private boolean completed;

  public Report(String scenario) {
    this.scenario = scenario;
  }

  public String scenario() {
    return scenario;
  }

  public Report parameter(String key, Object value) {
    parameters.put(key, value);
    return this;
  }

  public Report result(String key, Object value) {
    results.put(key, value);
    return this;
  }

  public Object result(String key) {
    return results.get(key);
  }

  public Report target(String metric, String target, String measured, boolean met) {
    targets.add(new Target(metric, target, measured, met));
    return this;
  }

  public Report node(Map<String, Object> node) {
    nodes.add(node);
    return this;
  }

  public Report environment(String key, Object value) {
    environment.put(key, value);
    return this;
  }

  public Report note(String note) {
    notes.add(note);
    return this;
  }

  /** The plot: its title and axes, and the series drawn on it. */
  public Report plot(String title, String x, String y, Series... lines) {
    plotTitle = title;
    xLabel = x;
    yLabel = y;
    series.addAll(List.of(lines));
    return this;
  }

  public Report completed(boolean done) {
    completed = done;
    return this;
  }

  public boolean completed() {
    return completed;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", scenario);
    m.put("completed", completed);
    m.put("startedAt", startedAt.toString());
    m.put("finishedAt", Instant.now().toString());
    m.put("parameters", parameters);
    m.put("results", results);
    List<Map<String, Object>> t = new ArrayList<>();
    for (Target target : targets) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("metric", target.metric());
      row.put("target", target.target());
      row.put("measured", target.measured());
      row.put("met", target.met());
      t.add(row);
    }
    m.put("targets", t);
    m.put("nodes", nodes);
    m.put("notes", notes);
    m.put("environment", environment);
    Map<String, Object> s = new LinkedHashMap<>();
    for (Series line : series) {
      List<List<Double>> points = new ArrayList<>();
      for (double[] p : line.snapshot()) {
        points.add(List.of(round(p[0]), round(p[1])));
      }
      s.put(line.name(), points);
    }
    m.put("series", s);
    return m;
  }

  /** Writes the three files into {@code dir} (created) and returns it. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("result.json"), Json.write(toMap()));
    Files.writeString(dir.resolve("result.txt"), table());
    Files.writeString(
        dir.resolve("plot.svg"),
        SvgPlot.render(scenario + ": " + plotTitle, xLabel, yLabel, series));
    return dir;
  }

  /** The readable table. */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append("Parley bench: ").append(scenario).append(completed ? "" : " (NOT COMPLETED)");
    sb.append("\n").append(startedAt).append("\n\n");
    Object machine = environment.get("machine");
    if (machine instanceof Map<?, ?> mm) {
      sb.append(
          String.format(
              Locale.ROOT,
              "machine   %s cpus, %s, %s, git %s%s%n",
              mm.get("cpus"),
              mm.get("cpuModel"),
              mm.get("memTotal"),
              mm.get("gitRevision"),
              Boolean.TRUE.equals(mm.get("gitDirty")) ? " (dirty)" : ""));
    }
    sb.append("\nparameters\n");
    parameters.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-28s %s%n", k, v)));
    sb.append("\nresults\n");
    flatten("", results, sb);
    if (!targets.isEmpty()) {
      sb.append("\ntargets\n");
      sb.append(
          String.format(
              Locale.ROOT, "  %-40s %-16s %-22s %s%n", "metric", "target", "measured", ""));
      for (Target t : targets) {
        sb.append(
            String.format(
                Locale.ROOT,
                "  %-40s %-16s %-22s %s%n",
                t.metric(),
                t.target(),
                t.measured(),
                t.met() ? "met" : "NOT MET"));
      }
    }
    if (!nodes.isEmpty()) {
      sb.append("\nnodes\n");
      for (Map<String, Object> n : nodes) {
        sb.append("  ").append(n).append('\n');
      }
    }
    if (!notes.isEmpty()) {
      sb.append("\nnotes\n");
      notes.forEach(n -> sb.append("  - ").append(n).append('\n'));
    }
    return sb.toString();
  }

  private static void flatten(String prefix, Map<?, ?> map, StringBuilder sb) {
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String key = prefix + e.getKey();
      if (e.getValue() instanceof Map<?, ?> inner) {
        flatten(key + ".", inner, sb);
      } else {
        sb.append(String.format(Locale.ROOT, "  %-28s %s%n", key, e.getValue()));
      }
    }
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
