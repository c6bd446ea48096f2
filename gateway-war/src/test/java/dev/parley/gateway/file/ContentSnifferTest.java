package dev.parley.gateway.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentSnifferTest {

  /** Sniffs as an upload does: the head, and a text scan over all of it. */
  private static String sniff(byte[] bytes) {
    try (Upload upload = Upload.spool(new ByteArrayInputStream(bytes), 1 << 20)) {
      byte[] head = upload.head();
      return ContentSniffer.sniff(head, head.length, upload.isText());
    }
  }

  private static String sniff(String text) {
    return sniff(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  @Test
  void images_byTheirMagicBytes() {
    assertEquals("image/png", sniff(TinyImages.png(1, 1)));
    assertEquals("image/gif", sniff(TinyImages.gif(1, 1)));
    assertEquals("image/gif", sniff("GIF87a\u0001\u0000\u0001\u0000"));
    assertEquals("image/jpeg", sniff(TinyImages.jpeg(1, 1, 0)));
    assertEquals("image/webp", sniff(TinyImages.webpVp8x(1, 1)));
    assertEquals("image/webp", sniff(TinyImages.webpLossless(1, 1)));
    assertEquals("image/bmp", sniff(bytes('B', 'M', 0x46, 0, 0, 0, 0, 0)));
    assertEquals(
        "image/avif", sniff(bytes(0, 0, 0, 0x1C, 'f', 't', 'y', 'p', 'a', 'v', 'i', 'f', 0, 0)));
  }

  @Test
  void documentsArchivesAndExecutables() {
    assertEquals("application/pdf", sniff("%PDF-1.7\n%\u00e2\u00e3\n1 0 obj"));
    assertEquals("application/zip", sniff(bytes('P', 'K', 3, 4, 20, 0, 0, 0)));
    assertEquals("application/gzip", sniff(bytes(0x1F, 0x8B, 8, 0, 0, 0)));
    assertEquals("application/x-executable", sniff(bytes(0x7F, 'E', 'L', 'F', 2, 1, 1, 0)));
    assertEquals(
        "application/vnd.microsoft.portable-executable",
        sniff(bytes('M', 'Z', 0x90, 0, 3, 0, 0, 0)));
    assertEquals("application/x-mach-binary", sniff(bytes(0xCF, 0xFA, 0xED, 0xFE, 7, 0)));
    assertEquals("audio/wav", sniff(bytes('R', 'I', 'F', 'F', 4, 0, 0, 0, 'W', 'A', 'V', 'E')));
  }

  @Test
  void text_isPlainWhenItIsUtf8WithoutBinaryBytes() {
    assertEquals("text/plain", sniff("hello\r\nworld\t!\f"));
    assertEquals("text/plain", sniff("Grüße, 你好, привет, 👋"));
    assertEquals("text/plain", sniff("\uFEFFwith a byte order mark"));
    assertEquals("text/plain", sniff("a < b and <b>bold</b> later is still text"));
    // Printable starts that look like weak signatures are text when the whole file is.
    assertEquals("text/plain", sniff("BMW and MZ are letters"));
    assertEquals("text/plain", sniff("ID3 tags explained"));
  }

  @Test
  void markupAndScripts_areNotPlainText() {
    assertEquals("text/html", sniff("<!DOCTYPE html><html><script>alert(1)</script>"));
    assertEquals("text/html", sniff("  \n<HTML>"));
    assertEquals("text/html", sniff("<script>alert(1)</script>"));
    assertEquals("text/html", sniff("<body onload=alert(1)>"));
    assertEquals("text/html", sniff("<iframe src=x>"));
    assertEquals("text/html", sniff("<!-- comment --><div>"));
    assertEquals("text/html", sniff("\uFEFF<p>hi</p>"));
    assertEquals("image/svg+xml", sniff("<svg xmlns='http://www.w3.org/2000/svg'/>"));
    assertEquals("image/svg+xml", sniff("<?xml version='1.0'?>\n<svg onload='alert(1)'/>"));
    assertEquals("application/xml", sniff("<?xml version='1.0'?><note/>"));
    assertEquals("text/x-shellscript", sniff("#!/bin/sh\nrm -rf /\n"));
  }

  @Test
  void binaryOrBrokenUtf8_isOctetStream() {
    assertEquals("application/octet-stream", sniff(bytes(0, 1, 2, 3)));
    assertEquals("application/octet-stream", sniff(bytes('a', 'b', 0xC3)), "cut-off character");
    assertEquals("application/octet-stream", sniff(bytes('a', 0xC0, 0xAF)), "overlong '/'");
    assertEquals("application/octet-stream", sniff(bytes(0xED, 0xA0, 0x80)), "a surrogate");
    assertEquals("application/octet-stream", sniff(bytes(0xFF, 0xFE, 'h', 0, 'i', 0)), "UTF-16");
    assertEquals("application/octet-stream", sniff(bytes('o', 'k', 0x1B, 'x', 0x01)));
  }

  @Test
  void text_withBinaryFarBeyondTheHead_isNotText() {
    byte[] bytes = new byte[100_000];
    java.util.Arrays.fill(bytes, (byte) 'a');
    bytes[99_000] = 0;
    assertEquals("application/octet-stream", sniff(bytes));
  }
}
