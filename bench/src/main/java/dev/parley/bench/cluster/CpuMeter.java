package dev.parley.bench.cluster;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** CPU seconds used by a set of processes over an interval, and the share of one core. */
public final class CpuMeter {

  private final List<NodeProbe> processes;
  private final Map<String, Double> start = new LinkedHashMap<>();
  private final long startNanos = System.nanoTime();
  private final double selfStart;

  private CpuMeter(List<NodeProbe> processes) throws IOException {
    this.processes = processes;
    for (NodeProbe p : processes) {
      start.put(p.name(), p.cpuSeconds());
    }
    selfStart = self();
  }

  public static CpuMeter start(List<NodeProbe> processes) throws IOException {
    return new CpuMeter(processes);
  }

  /** Per process: cpuSeconds and percentOfOneCore since the start, plus the generator's own. */
  public Map<String, Object> stop() {
    double wall = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Object> out = new LinkedHashMap<>();
    double total = 0;
    for (NodeProbe p : processes) {
      try {
        double used = p.cpuSeconds() - start.get(p.name());
        total += used;
        out.put(p.name(), entry(used, wall));
      } catch (IOException e) {
        out.put(p.name(), "gone");
      }
    }
    out.put("clusterTotal", entry(total, wall));
    out.put("generator", entry(self() - selfStart, wall));
    out.put("wallSeconds", round(wall));
    return out;
  }

  private static Map<String, Object> entry(double used, double wall) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("cpuSeconds", round(used));
    m.put("percentOfOneCore", round(100 * used / Math.max(wall, 1e-9)));
    return m;
  }

  private static double self() {
    try {
      return new NodeProbe("generator", ProcessHandle.current().pid()).cpuSeconds();
    } catch (IOException e) {
      return 0;
    }
  }

  static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }
}
