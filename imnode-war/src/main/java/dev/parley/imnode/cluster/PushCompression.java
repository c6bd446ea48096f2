package dev.parley.imnode.cluster;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Compression of pushes between nodes (what go-im planned "between layers" and never built). A push
 * whose JSON is longer than a threshold travels as DEFLATE bytes (a version byte, then raw deflate
 * data) when that saves at least a tenth of it; anything shorter, or that does not shrink, stays
 * text. Receivers take either form, so nodes with different thresholds interoperate. Deflaters and
 * inflaters are kept per thread: creating one allocates native memory.
 */
final class PushCompression {

  /** The first byte of a compressed payload: the format, so that it can change later. */
  static final byte DEFLATE_V1 = 1;

  private static final ThreadLocal<Deflater> DEFLATERS =
      ThreadLocal.withInitial(() -> new Deflater(Deflater.BEST_SPEED, true));
  private static final ThreadLocal<Inflater> INFLATERS =
      ThreadLocal.withInitial(() -> new Inflater(true));

  private final int threshold;

  /**
   * @param threshold payloads of more than this many characters are compressed; 0 or less never
   */
  PushCompression(int threshold) {
    this.threshold = threshold;
  }

  /** What to publish for {@code payload}: the text itself, or compressed bytes. */
  Object encode(String payload) {
    if (threshold <= 0 || payload.length() <= threshold) {
      return payload;
    }
    byte[] text = payload.getBytes(StandardCharsets.UTF_8);
    Deflater deflater = DEFLATERS.get();
    deflater.reset();
    deflater.setInput(text);
    deflater.finish();
    int limit = text.length - text.length / 10;
    byte[] out = new byte[limit];
    out[0] = DEFLATE_V1;
    int n = 1;
    while (!deflater.finished() && n < limit) {
      n += deflater.deflate(out, n, limit - n);
    }
    if (!deflater.finished()) {
      return payload; // would not save a tenth: not worth the receiver's work
    }
    return Arrays.copyOf(out, n);
  }

  /** The push's text, from what was published. */
  static String decode(Object published) {
    if (published instanceof String text) {
      return text;
    }
    if (!(published instanceof byte[] bytes) || bytes.length == 0 || bytes[0] != DEFLATE_V1) {
      throw new IllegalArgumentException("not a push payload: " + describe(published));
    }
    Inflater inflater = INFLATERS.get();
    inflater.reset();
    inflater.setInput(bytes, 1, bytes.length - 1);
    ByteArrayOutputStream text = new ByteArrayOutputStream(bytes.length * 4);
    byte[] chunk = new byte[8192];
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IllegalArgumentException("truncated compressed push");
        }
        text.write(chunk, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("corrupt compressed push", e);
    }
    return text.toString(StandardCharsets.UTF_8);
  }

  private static String describe(Object o) {
    return o == null ? "null" : o.getClass().getName();
  }
}
