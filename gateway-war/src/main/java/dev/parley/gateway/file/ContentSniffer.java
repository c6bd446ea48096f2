package dev.parley.gateway.file;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The content type of a file, from its leading bytes alone: what the client says (Content-Type,
 * extension) is never asked. Known signatures come first; then a file that is entirely UTF-8 text
 * is told apart into HTML, SVG, XML, scripts and plain text (so that markup a browser would run
 * never passes as {@code text/plain}); everything else is {@code application/octet-stream}.
 */
final class ContentSniffer {

  static final String OCTET_STREAM = "application/octet-stream";
  static final String TEXT = "text/plain";

  /** How many leading bytes {@link #sniff} looks at. */
  static final int HEAD_BYTES = 1024;

  /**
   * @param weak a short, printable signature that plain text may start with too ({@code BM...},
   *     {@code MZ...}): it counts only when the file is not text
   */
  private record Signature(int offset, byte[] bytes, String type, boolean weak) {
    boolean matches(byte[] head, int length) {
      if (offset + bytes.length > length) {
        return false;
      }
      for (int i = 0; i < bytes.length; i++) {
        if (head[offset + i] != bytes[i]) {
          return false;
        }
      }
      return true;
    }
  }

  private static final List<Signature> SIGNATURES =
      List.of(
          sig(0, "89 50 4E 47 0D 0A 1A 0A", "image/png"),
          sig(0, "FF D8 FF", "image/jpeg"),
          sig(0, "GIF87a", "image/gif"),
          sig(0, "GIF89a", "image/gif"),
          weak(0, "BM", "image/bmp"),
          sig(0, "49 49 2A 00", "image/tiff"),
          sig(0, "4D 4D 00 2A", "image/tiff"),
          sig(0, "00 00 01 00", "image/vnd.microsoft.icon"),
          sig(0, "%PDF-", "application/pdf"),
          sig(0, "50 4B 03 04", "application/zip"),
          sig(0, "50 4B 05 06", "application/zip"),
          sig(0, "1F 8B 08", "application/gzip"),
          sig(0, "37 7A BC AF 27 1C", "application/x-7z-compressed"),
          sig(0, "52 61 72 21 1A 07", "application/vnd.rar"),
          sig(0, "7F 45 4C 46", "application/x-executable"),
          weak(0, "MZ", "application/vnd.microsoft.portable-executable"),
          sig(0, "FE ED FA CE", "application/x-mach-binary"),
          sig(0, "FE ED FA CF", "application/x-mach-binary"),
          sig(0, "CE FA ED FE", "application/x-mach-binary"),
          sig(0, "CF FA ED FE", "application/x-mach-binary"),
          sig(0, "CA FE BA BE", "application/java-vm"),
          sig(0, "00 61 73 6D", "application/wasm"),
          sig(0, "1A 45 DF A3", "video/webm"),
          sig(0, "OggS", "audio/ogg"),
          sig(0, "fLaC", "audio/flac"),
          weak(0, "ID3", "audio/mpeg"),
          sig(0, "MThd", "audio/midi"));

  private ContentSniffer() {}

  /**
   * @param head the file's first bytes (up to {@link #HEAD_BYTES} are looked at)
   * @param length how many bytes of {@code head} are the file's
   * @param wholeFileIsText whether the whole file is UTF-8 text (see {@link TextScan})
   */
  static String sniff(byte[] head, int length, boolean wholeFileIsText) {
    int n = Math.min(length, Math.min(head.length, HEAD_BYTES));
    for (Signature s : SIGNATURES) {
      if (s.matches(head, n) && !(s.weak && wholeFileIsText)) {
        return s.type;
      }
    }
    String riff = riff(head, n);
    if (riff != null) {
      return riff;
    }
    String isoMedia = isoMedia(head, n);
    if (isoMedia != null) {
      return isoMedia;
    }
    return wholeFileIsText ? text(head, n) : OCTET_STREAM;
  }

  /** RIFF containers: WebP, WAVE, AVI. */
  private static String riff(byte[] head, int n) {
    if (n < 12 || !ascii(head, 0, "RIFF")) {
      return null;
    }
    if (ascii(head, 8, "WEBP")) {
      return "image/webp";
    }
    if (ascii(head, 8, "WAVE")) {
      return "audio/wav";
    }
    if (ascii(head, 8, "AVI ")) {
      return "video/x-msvideo";
    }
    return OCTET_STREAM;
  }

  /** ISO base media files ({@code ftyp} box first): AVIF and HEIF images, MP4 and QuickTime. */
  private static String isoMedia(byte[] head, int n) {
    if (n < 12 || !ascii(head, 4, "ftyp")) {
      return null;
    }
    String brand = new String(head, 8, 4, StandardCharsets.ISO_8859_1);
    return switch (brand) {
      case "avif", "avis" -> "image/avif";
      case "heic", "heix", "heim", "heis", "mif1", "msf1" -> "image/heic";
      case "qt  " -> "video/quicktime";
      default -> "video/mp4";
    };
  }

  /** What kind of text a file that is entirely UTF-8 text is. */
  private static String text(byte[] head, int n) {
    String start =
        new String(head, 0, n, StandardCharsets.UTF_8)
            .replaceFirst("^\uFEFF", "")
            .stripLeading()
            .toLowerCase(Locale.ROOT);
    if (start.startsWith("#!")) {
      return "text/x-shellscript";
    }
    if (start.startsWith("%!ps")) {
      return "application/postscript";
    }
    if (start.startsWith("{\\rtf")) {
      return "application/rtf";
    }
    if (start.startsWith("<?xml")
        || start.startsWith("<svg")
        || start.startsWith("<!doctype svg")) {
      return start.contains("<svg") ? "image/svg+xml" : "application/xml";
    }
    if (isHtml(start)) {
      return "text/html";
    }
    return TEXT;
  }

  /** The tags by which the WHATWG MIME sniffing standard recognises HTML. */
  private static final List<String> HTML_TAGS =
      List.of(
          "<!doctype html",
          "<html",
          "<head",
          "<script",
          "<iframe",
          "<h1",
          "<div",
          "<font",
          "<table",
          "<a",
          "<style",
          "<title",
          "<b",
          "<body",
          "<br",
          "<p",
          "<!--");

  private static boolean isHtml(String start) {
    for (String tag : HTML_TAGS) {
      if (start.startsWith(tag)) {
        if (start.length() == tag.length()) {
          return true;
        }
        // Stricter than the standard (which wants a space or '>'): any tag end counts.
        char next = start.charAt(tag.length());
        if (tag.equals("<!--") || Character.isWhitespace(next) || next == '>' || next == '/') {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean ascii(byte[] head, int offset, String text) {
    for (int i = 0; i < text.length(); i++) {
      if (offset + i >= head.length || head[offset + i] != (byte) text.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static Signature weak(int offset, String text, String type) {
    return new Signature(offset, text.getBytes(StandardCharsets.ISO_8859_1), type, true);
  }

  private static Signature sig(int offset, String spec, String type) {
    byte[] bytes;
    if (spec.matches("([0-9A-F]{2} )*[0-9A-F]{2}")) {
      String[] hex = spec.split(" ");
      bytes = new byte[hex.length];
      for (int i = 0; i < hex.length; i++) {
        bytes[i] = (byte) Integer.parseInt(hex[i], 16);
      }
    } else {
      bytes = spec.getBytes(StandardCharsets.ISO_8859_1);
    }
    return new Signature(offset, bytes, type, false);
  }
}
