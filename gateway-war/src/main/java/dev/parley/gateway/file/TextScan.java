package dev.parley.gateway.file;

/**
 * Follows a byte stream in chunks and tells whether all of it is plain text: well-formed UTF-8 (no
 * overlong forms, no surrogates, nothing above U+10FFFF) without the control bytes that mark binary
 * data in the WHATWG MIME sniffing standard (tab, line feed, form feed, carriage return and escape
 * are text). Not thread-safe.
 */
final class TextScan {

  private boolean text = true;
  private int pending; // continuation bytes still expected
  private int lowest = 0x80; // the range allowed for the next continuation byte
  private int highest = 0xBF;

  void update(byte[] bytes, int offset, int length) {
    for (int i = offset; text && i < offset + length; i++) {
      accept(bytes[i] & 0xFF);
    }
  }

  /** Whether everything seen so far is text and no character is cut off at the end. */
  boolean isText() {
    return text && pending == 0;
  }

  private void accept(int b) {
    if (pending > 0) {
      if (b < lowest || b > highest) {
        text = false;
        return;
      }
      pending--;
      lowest = 0x80;
      highest = 0xBF;
      return;
    }
    if (b < 0x80) {
      text = !isBinaryControl(b);
    } else if (b >= 0xC2 && b <= 0xDF) {
      pending = 1;
    } else if (b >= 0xE0 && b <= 0xEF) {
      pending = 2;
      if (b == 0xE0) {
        lowest = 0xA0; // no overlong three-byte forms
      } else if (b == 0xED) {
        highest = 0x9F; // no UTF-16 surrogates
      }
    } else if (b >= 0xF0 && b <= 0xF4) {
      pending = 3;
      if (b == 0xF0) {
        lowest = 0x90; // no overlong four-byte forms
      } else if (b == 0xF4) {
        highest = 0x8F; // nothing above U+10FFFF
      }
    } else {
      text = false; // a stray continuation byte, C0, C1 or F5..FF
    }
  }

  private static boolean isBinaryControl(int b) {
    return b <= 0x08 || b == 0x0B || (b >= 0x0E && b <= 0x1A) || (b >= 0x1C && b <= 0x1F);
  }
}
