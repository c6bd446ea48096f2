package dev.parley.bench.scenario;

/**
 * Reads fields of server frames without a JSON parser, for the hot path (pushes arrive at hundreds
 * of thousands a second). Server frames are compact JSON ({@code "key":value}); rare frames are
 * parsed properly with Jakarta JSON-P where their structure matters.
 */
final class Frames {

  private Frames() {}

  /** The string value of top-level-or-nested {@code key}, first occurrence; null when absent. */
  static String string(String frame, String key) {
    String probe = "\"" + key + "\":\"";
    int i = frame.indexOf(probe);
    if (i < 0) {
      return null;
    }
    int start = i + probe.length();
    int end = start;
    while (end < frame.length()) {
      char c = frame.charAt(end);
      if (c == '\\') {
        end += 2;
        continue;
      }
      if (c == '"') {
        break;
      }
      end++;
    }
    return frame.substring(start, Math.min(end, frame.length()));
  }

  /** The integer value of {@code key}, first occurrence; {@code missing} when absent. */
  static long number(String frame, String key, long missing) {
    String probe = "\"" + key + "\":";
    int i = frame.indexOf(probe);
    if (i < 0) {
      return missing;
    }
    int p = i + probe.length();
    boolean negative = p < frame.length() && frame.charAt(p) == '-';
    if (negative) {
      p++;
    }
    long v = 0;
    boolean any = false;
    while (p < frame.length() && Character.isDigit(frame.charAt(p))) {
      v = v * 10 + (frame.charAt(p++) - '0');
      any = true;
    }
    return any ? (negative ? -v : v) : missing;
  }

  static String type(String frame) {
    return string(frame, "type");
  }
}
