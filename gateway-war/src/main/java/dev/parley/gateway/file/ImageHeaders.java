package dev.parley.gateway.file;

import dev.parley.common.file.Dimensions;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The dimensions of PNG, GIF, JPEG and WebP images, read from their headers without decoding any
 * pixels: PNG's IHDR chunk, GIF's logical screen, the first JPEG frame header (SOFn, with the EXIF
 * orientation applied, as browsers display it) and WebP's VP8X, VP8L or VP8 header. A header that
 * does not parse yields no dimensions rather than an error.
 */
final class ImageHeaders {

  /** Corrupt JPEGs could chain tiny segments forever; real ones have a few dozen. */
  private static final int MAX_JPEG_SEGMENTS = 1024;

  private ImageHeaders() {}

  /**
   * @param contentType the sniffed type of the image
   * @param in the image's bytes from the start; read only as far as the header
   */
  static Optional<Dimensions> read(String contentType, InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    try {
      return switch (contentType) {
        case "image/png" -> png(data);
        case "image/gif" -> gif(data);
        case "image/jpeg" -> jpeg(data);
        case "image/webp" -> webp(data);
        default -> Optional.empty();
      };
    } catch (EOFException truncated) {
      return Optional.empty();
    }
  }

  private static Optional<Dimensions> png(DataInputStream in) throws IOException {
    in.skipNBytes(8 + 4); // signature, IHDR length
    if (in.readInt() != 0x49484452) { // "IHDR" must be the first chunk
      return Optional.empty();
    }
    return dimensions(in.readInt(), in.readInt());
  }

  private static Optional<Dimensions> gif(DataInputStream in) throws IOException {
    in.skipNBytes(6); // GIF87a / GIF89a
    return dimensions(littleEndian16(in), littleEndian16(in));
  }

  private static Optional<Dimensions> jpeg(DataInputStream in) throws IOException {
    in.skipNBytes(2); // SOI
    int orientation = 1;
    for (int segments = 0; segments < MAX_JPEG_SEGMENTS; segments++) {
      int marker = nextMarker(in);
      if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
        continue; // markers without a length
      }
      if (marker == 0xD9 || marker == 0xDA) {
        return Optional.empty(); // end of image or start of scan before any frame header
      }
      int length = in.readUnsignedShort() - 2;
      if (length < 0) {
        return Optional.empty();
      }
      if (isStartOfFrame(marker)) {
        in.readUnsignedByte(); // sample precision
        int height = in.readUnsignedShort();
        int width = in.readUnsignedShort();
        // Orientations 5 to 8 turn the image by a quarter: width and height swap on display.
        return orientation >= 5 && orientation <= 8
            ? dimensions(height, width)
            : dimensions(width, height);
      }
      if (marker == 0xE1 && orientation == 1) {
        byte[] app1 = new byte[length];
        in.readFully(app1);
        orientation = exifOrientation(app1);
      } else {
        in.skipNBytes(length);
      }
    }
    return Optional.empty();
  }

  /** The next marker code, past the 0xFF and any fill bytes. */
  private static int nextMarker(DataInputStream in) throws IOException {
    if (in.readUnsignedByte() != 0xFF) {
      throw new EOFException("not at a JPEG marker");
    }
    int marker = in.readUnsignedByte();
    while (marker == 0xFF) {
      marker = in.readUnsignedByte();
    }
    return marker;
  }

  /** SOF0–SOF15, without DHT (C4), JPG (C8) and DAC (CC), which share the range. */
  private static boolean isStartOfFrame(int marker) {
    return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
  }

  /** The orientation tag (0x0112) of IFD0 in an APP1 "Exif" segment; 1 (upright) if none. */
  static int exifOrientation(byte[] app1) {
    if (app1.length < 14
        || app1[0] != 'E'
        || app1[1] != 'x'
        || app1[2] != 'i'
        || app1[3] != 'f'
        || app1[4] != 0
        || app1[5] != 0) {
      return 1;
    }
    int tiff = 6;
    boolean little;
    if (app1[tiff] == 'I' && app1[tiff + 1] == 'I') {
      little = true;
    } else if (app1[tiff] == 'M' && app1[tiff + 1] == 'M') {
      little = false;
    } else {
      return 1;
    }
    long ifd = tiff + unsigned32(app1, tiff + 4, little);
    if (ifd + 2 > app1.length) {
      return 1;
    }
    int entries = unsigned16(app1, (int) ifd, little);
    for (int i = 0; i < entries; i++) {
      int entry = (int) ifd + 2 + 12 * i;
      if (entry + 12 > app1.length) {
        return 1;
      }
      if (unsigned16(app1, entry, little) == 0x0112) {
        int value = unsigned16(app1, entry + 8, little); // a SHORT, left-justified in the field
        return value >= 1 && value <= 8 ? value : 1;
      }
    }
    return 1;
  }

  private static Optional<Dimensions> webp(DataInputStream in) throws IOException {
    in.skipNBytes(12); // "RIFF", size, "WEBP"
    byte[] fourcc = new byte[4];
    in.readFully(fourcc);
    String chunk = new String(fourcc, StandardCharsets.ISO_8859_1);
    in.skipNBytes(4); // chunk size
    switch (chunk) {
      case "VP8X" -> {
        in.skipNBytes(4); // flags, reserved
        return dimensions(1 + littleEndian24(in), 1 + littleEndian24(in));
      }
      case "VP8L" -> {
        if (in.readUnsignedByte() != 0x2F) {
          return Optional.empty();
        }
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        int b2 = in.readUnsignedByte();
        int b3 = in.readUnsignedByte();
        int width = 1 + (b0 | (b1 & 0x3F) << 8);
        int height = 1 + ((b1 >> 6) | b2 << 2 | (b3 & 0x0F) << 10);
        return dimensions(width, height);
      }
      case "VP8 " -> {
        in.skipNBytes(3); // frame tag
        if (in.readUnsignedByte() != 0x9D
            || in.readUnsignedByte() != 0x01
            || in.readUnsignedByte() != 0x2A) {
          return Optional.empty();
        }
        return dimensions(littleEndian16(in) & 0x3FFF, littleEndian16(in) & 0x3FFF);
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static Optional<Dimensions> dimensions(int width, int height) {
    return width > 0 && height > 0 ? Optional.of(new Dimensions(width, height)) : Optional.empty();
  }

  private static int littleEndian16(DataInputStream in) throws IOException {
    int lo = in.readUnsignedByte();
    return lo | in.readUnsignedByte() << 8;
  }

  private static int littleEndian24(DataInputStream in) throws IOException {
    int lo = littleEndian16(in);
    return lo | in.readUnsignedByte() << 16;
  }

  private static int unsigned16(byte[] b, int at, boolean little) {
    int x = b[at] & 0xFF;
    int y = b[at + 1] & 0xFF;
    return little ? x | y << 8 : x << 8 | y;
  }

  private static long unsigned32(byte[] b, int at, boolean little) {
    long hi = unsigned16(b, little ? at + 2 : at, little);
    long lo = unsigned16(b, little ? at : at + 2, little);
    return hi << 16 | lo;
  }
}
