package dev.parley.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A named line of (x, y) points for the plot, e.g. open connections over seconds. */
public record Series(String name, List<double[]> points) {

  public Series(String name) {
    this(name, new ArrayList<>());
  }

  public synchronized void add(double x, double y) {
    points.add(new double[] {x, y});
  }

  /**
   * The largest rise of y within any window of {@code width} on x, per unit of x: e.g. the peak
   * rate of connections coming back, from a line of connections online over seconds.
   */
  public synchronized double peakRise(double width) {
    double peak = 0;
    int from = 0;
    for (int to = 0; to < points.size(); to++) {
      while (points.get(to)[0] - points.get(from)[0] > width) {
        from++;
      }
      double span = points.get(to)[0] - points.get(from)[0];
      if (span > 0) {
        peak = Math.max(peak, (points.get(to)[1] - points.get(from)[1]) / Math.max(span, width));
      }
    }
    return peak;
  }

  synchronized List<double[]> snapshot() {
    return List.copyOf(points);
  }
}
