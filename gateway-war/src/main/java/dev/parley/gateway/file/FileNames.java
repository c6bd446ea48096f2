package dev.parley.gateway.file;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;

/**
 * File names as clients send them, made safe to store, show and offer for saving: no directories,
 * no control, formatting (such as right-to-left overrides that disguise extensions) or unassigned
 * characters, none of {@code <>:"/\|?*}, no leading dots, at most {@value #MAX_CODE_POINTS}
 * characters with the extension kept; letters of every script stay. And how a name goes into a
 * {@code Content-Disposition} header.
 */
final class FileNames {

  static final String FALLBACK = "file";
  static final int MAX_CODE_POINTS = 120;

  /** Extensions longer than this are cut with the rest of the name. */
  private static final int MAX_EXTENSION = 16;

  private static final Set<String> WINDOWS_DEVICES =
      Set.of(
          "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
          "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");

  private FileNames() {}

  static String sanitize(String raw) {
    if (raw == null) {
      return FALLBACK;
    }
    String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
    // Only the last part of a path, whichever separator the client's system uses.
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);

    StringBuilder kept = new StringBuilder(name.length());
    boolean space = false;
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = true;
        continue;
      }
      if (!isAllowed(c)) {
        continue;
      }
      if (space && kept.length() > 0) {
        kept.append(' ');
      }
      space = false;
      kept.appendCodePoint("<>:\"|?*".indexOf(c) >= 0 ? '_' : c);
    }
    String cleaned = stripDots(kept.toString());
    cleaned = shorten(cleaned);
    if (cleaned.isEmpty()) {
      return FALLBACK;
    }
    String base = cleaned.contains(".") ? cleaned.substring(0, cleaned.indexOf('.')) : cleaned;
    if (WINDOWS_DEVICES.contains(base.strip().toLowerCase(Locale.ROOT))) {
      cleaned = "_" + cleaned;
    }
    return cleaned;
  }

  private static boolean isAllowed(int c) {
    return switch (Character.getType(c)) {
      case Character.CONTROL,
          Character.FORMAT,
          Character.SURROGATE,
          Character.PRIVATE_USE,
          Character.UNASSIGNED,
          Character.LINE_SEPARATOR,
          Character.PARAGRAPH_SEPARATOR ->
          false;
      default -> true;
    };
  }

  /** No leading dots (hidden files, "..") and no trailing dots or spaces (Windows drops them). */
  private static String stripDots(String name) {
    int start = 0;
    while (start < name.length() && (name.charAt(start) == '.' || name.charAt(start) == ' ')) {
      start++;
    }
    int end = name.length();
    while (end > start && (name.charAt(end - 1) == '.' || name.charAt(end - 1) == ' ')) {
      end--;
    }
    return name.substring(start, end);
  }

  /** At most {@link #MAX_CODE_POINTS} code points, cut from the base name to keep the extension. */
  private static String shorten(String name) {
    int length = name.codePointCount(0, name.length());
    if (length <= MAX_CODE_POINTS) {
      return name;
    }
    int dot = name.lastIndexOf('.');
    String extension = dot > 0 ? name.substring(dot) : "";
    if (extension.codePointCount(0, extension.length()) > MAX_EXTENSION) {
      extension = "";
    }
    String base = extension.isEmpty() ? name : name.substring(0, dot);
    int keep = MAX_CODE_POINTS - extension.codePointCount(0, extension.length());
    base = base.substring(0, base.offsetByCodePoints(0, keep)).stripTrailing();
    return stripDots(base + extension);
  }

  /**
   * A {@code Content-Disposition} value (RFC 6266): an ASCII {@code filename} for old clients, and
   * the exact name as RFC 5987 {@code filename*}.
   *
   * @param type {@code inline} or {@code attachment}
   * @param name a name made by {@link #sanitize} (so without quotes or backslashes)
   */
  static String contentDisposition(String type, String name) {
    StringBuilder ascii = new StringBuilder(name.length());
    name.codePoints()
        .forEach(
            c -> ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? (char) c : '_'));
    return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(name);
  }

  /** RFC 5987 value-chars: attr-chars as they are, every other UTF-8 byte as %XX. */
  private static String percentEncode(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "!#$&+-.^_`|~".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)));
        out.append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
      }
    }
    return out.toString();
  }
}
