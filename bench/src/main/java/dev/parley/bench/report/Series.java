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

  synchronized List<double[]> snapshot() {
    return List.copyOf(points);
  }
}
