package dev.parley.gateway.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FileNamesTest {

  @Test
  void sanitize_keepsOrdinaryAndUnicodeNames() {
    assertEquals("holiday photo.jpg", FileNames.sanitize("holiday photo.jpg"));
    assertEquals("Grüße 你好 привет.pdf", FileNames.sanitize("Grüße 你好 привет.pdf"));
    assertEquals("👋 hi.png", FileNames.sanitize("👋 hi.png"));
    assertEquals("é.txt", FileNames.sanitize("e\u0301.txt"), "composed to NFC");
  }

  @Test
  void sanitize_stripsDirectoriesOfEitherSystem() {
    assertEquals("passwd", FileNames.sanitize("../../etc/passwd"));
    assertEquals("report.pdf", FileNames.sanitize("C:\\Users\\me\\report.pdf"));
    assertEquals("x.png", FileNames.sanitize("a/b\\c/x.png"));
    assertEquals("file", FileNames.sanitize("dir/"));
  }

  @Test
  void sanitize_dropsControlAndFormattingCharacters() {
    assertEquals("ab.txt", FileNames.sanitize("a\u0000b\u0007.txt"));
    // A right-to-left override would show "evil\u202Egnp.exe" as "evilexe.png".
    assertEquals("evilgnp.exe", FileNames.sanitize("evil\u202Egnp.exe"));
    assertEquals("zerowidth.txt", FileNames.sanitize("zero\u200Bwidth.txt"));
    assertEquals("a b.txt", FileNames.sanitize("a\r\n\t  b.txt"), "whitespace runs become a space");
  }

  @Test
  void sanitize_replacesCharactersFileSystemsRefuse() {
    assertEquals("a_b_c_d_e_f_g.txt", FileNames.sanitize("a<b>c:d\"e|f?g.txt"));
    assertEquals("star_.txt", FileNames.sanitize("star*.txt"));
  }

  @Test
  void sanitize_dropsLeadingDotsAndTrailingDotsAndSpaces() {
    assertEquals("bashrc", FileNames.sanitize(".bashrc"));
    assertEquals("name", FileNames.sanitize("  name. . "));
    assertEquals("file", FileNames.sanitize(".."));
    assertEquals("_CON.txt", FileNames.sanitize("CON.txt"), "a Windows device name");
    assertEquals("_nul", FileNames.sanitize("nul"));
  }

  @Test
  void sanitize_fallsBackToFile() {
    assertEquals("file", FileNames.sanitize(null));
    assertEquals("file", FileNames.sanitize(""));
    assertEquals("file", FileNames.sanitize("   "));
    assertEquals("file", FileNames.sanitize("\u0000\u0001\u202E"));
  }

  @Test
  void sanitize_capsLengthKeepingTheExtension() {
    String name = FileNames.sanitize("x".repeat(500) + ".jpeg");
    assertEquals(FileNames.MAX_CODE_POINTS, name.length());
    assertTrue(name.endsWith("x.jpeg"), name);

    String emoji = FileNames.sanitize("😀".repeat(300) + ".png");
    assertEquals(FileNames.MAX_CODE_POINTS, emoji.codePointCount(0, emoji.length()));
    assertTrue(emoji.endsWith("😀.png"), "no surrogate pair is cut: " + emoji);

    String longExtension = FileNames.sanitize("a." + "b".repeat(300));
    assertEquals(FileNames.MAX_CODE_POINTS, longExtension.length());
  }

  @Test
  void contentDisposition_hasAsciiFallbackAndExactUtf8Name() {
    assertEquals(
        "inline; filename=\"cat.png\"; filename*=UTF-8''cat.png",
        FileNames.contentDisposition("inline", "cat.png"));
    assertEquals(
        "attachment; filename=\"__ rates 100%.pdf\"; filename*=UTF-8''%E2%82%AC%E2%82%AC%20rates%20100%25.pdf",
        FileNames.contentDisposition("attachment", "€€ rates 100%.pdf"));
    assertEquals(
        "attachment; filename=\"_.txt\"; filename*=UTF-8''%F0%9F%91%8B.txt",
        FileNames.contentDisposition("attachment", "👋.txt"));
  }
}
