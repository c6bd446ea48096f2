package dev.parley.bench.report;

import java.util.List;
import java.util.Locale;

/** A plain SVG line chart, drawn by hand so that results need no plotting library. */
final class SvgPlot {

  private static final String[] COLORS = {
    "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"
  };
  private static final int W = 760;
  private static final int H = 420;
  private static final int LEFT = 80;
  private static final int RIGHT = 180;
  private static final int TOP = 40;
  private static final int BOTTOM = 50;

  private SvgPlot() {}

  static String render(String title, String xLabel, String yLabel, List<Series> series) {
    double maxX = 1e-9;
    double maxY = 1e-9;
    for (Series s : series) {
      for (double[] p : s.snapshot()) {
        maxX = Math.max(maxX, p[0]);
        maxY = Math.max(maxY, p[1]);
      }
    }
    maxY = nice(maxY);
    maxX = nice(maxX);
    int pw = W - LEFT - RIGHT;
    int ph = H - TOP - BOTTOM;
    StringBuilder sb = new StringBuilder();
    sb.append(
        f(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                + " font-family=\"sans-serif\" font-size=\"12\">\n",
            W, H, W, H));
    sb.append(f("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", W, H));
    sb.append(
        f(
            "<text x=\"%d\" y=\"22\" font-size=\"15\" font-weight=\"bold\">%s</text>\n",
            LEFT, esc(title)));
    for (int i = 0; i <= 5; i++) {
      double y = TOP + ph - ph * i / 5.0;
      double x = LEFT + pw * i / 5.0;
      sb.append(
          f(
              "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
              LEFT, y, LEFT + pw, y));
      sb.append(
          f(
              "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
              LEFT - 6, y + 4, num(maxY * i / 5)));
      sb.append(
          f(
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
              x, TOP + ph + 18, num(maxX * i / 5)));
    }
    sb.append(
        f(
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>\n",
            LEFT, TOP, pw, ph));
    sb.append(
        f(
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
            LEFT + pw / 2, H - 10, esc(xLabel)));
    sb.append(
        f(
            "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>\n",
            TOP + ph / 2, TOP + ph / 2, esc(yLabel)));
    for (int s = 0; s < series.size(); s++) {
      String color = COLORS[s % COLORS.length];
      StringBuilder pts = new StringBuilder();
      for (double[] p : series.get(s).snapshot()) {
        pts.append(f("%.1f,%.1f ", LEFT + pw * p[0] / maxX, TOP + ph - ph * p[1] / maxY));
      }
      sb.append(
          f(
              "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.8\" points=\"%s\"/>\n",
              color, pts.toString().strip()));
      int ly = TOP + 10 + s * 18;
      sb.append(
          f(
              "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n",
              LEFT + pw + 12, ly, LEFT + pw + 32, ly, color));
      sb.append(
          f(
              "<text x=\"%d\" y=\"%d\">%s</text>\n",
              LEFT + pw + 38, ly + 4, esc(series.get(s).name())));
    }
    return sb.append("</svg>\n").toString();
  }

  private static double nice(double v) {
    double mag = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 2.5, 5, 10}) {
      if (m * mag >= v) {
        return m * mag;
      }
    }
    return 10 * mag;
  }

  private static String num(double v) {
    if (v >= 1_000_000) {
      return f("%.1fM", v / 1_000_000);
    }
    if (v >= 10_000) {
      return f("%.0fk", v / 1000);
    }
    return v == Math.rint(v) ? f("%.0f", v) : f("%.2f", v);
  }

  private static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
