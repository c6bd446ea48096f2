package dev.parley.gateway.file;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Minimal image files built byte by byte: headers as the formats define them, no real pixels. */
final class TinyImages {

  private TinyImages() {}

  static byte[] png(int width, int height) {
    Bytes b = new Bytes().hex("89 50 4E 47 0D 0A 1A 0A");
    byte[] ihdr = new Bytes().be32(width).be32(height).u8(8).u8(6).u8(0).u8(0).u8(0).toByteArray();
    b.chunk("IHDR", ihdr).chunk("IDAT", new byte[] {0x78, 0x01}).chunk("IEND", new byte[0]);
    return b.toByteArray();
  }

  static byte[] gif(int width, int height) {
    return new Bytes()
        .ascii("GIF89a")
        .le16(width)
        .le16(height)
        .u8(0) // no global colour table
        .u8(0)
        .u8(0)
        .hex("3B") // trailer
        .toByteArray();
  }

  /** A baseline JPEG header: APP0 (JFIF), an optional APP1 (EXIF orientation), DQT, SOF0, SOS. */
  static byte[] jpeg(int width, int height, int exifOrientation) {
    Bytes b = new Bytes().hex("FF D8");
    b.hex("FF E0").be16(16).ascii("JFIF").u8(0).hex("01 01 00 00 01 00 01 00 00");
    if (exifOrientation > 0) {
      // "Exif\0\0", then a big-endian TIFF header with IFD0 holding one entry: orientation.
      Bytes exif =
          new Bytes()
              .ascii("Exif")
              .u8(0)
              .u8(0)
              .ascii("MM")
              .be16(42)
              .be32(8)
              .be16(1)
              .be16(0x0112)
              .be16(3) // SHORT
              .be32(1)
              .be16(exifOrientation)
              .be16(0)
              .be32(0);
      byte[] payload = exif.toByteArray();
      b.hex("FF E1").be16(payload.length + 2).bytes(payload);
    }
    b.hex("FF DB").be16(67).u8(0).bytes(new byte[64]);
    b.hex("FF C0").be16(17).u8(8).be16(height).be16(width).u8(3);
    b.hex("01 22 00 02 11 01 03 11 01");
    b.hex("FF DA").be16(12).u8(3).hex("01 00 02 11 03 11 00 3F 00");
    b.hex("00 FF D9");
    return b.toByteArray();
  }

  static byte[] webpVp8x(int width, int height) {
    byte[] payload =
        new Bytes().u8(0x10).u8(0).u8(0).u8(0).le24(width - 1).le24(height - 1).toByteArray();
    return riffWebp("VP8X", payload);
  }

  static byte[] webpLossless(int width, int height) {
    int w = width - 1;
    int h = height - 1;
    // 14 bits width-1, 14 bits height-1, 1 bit alpha, 3 bits version, little-endian.
    long bits = (w & 0x3FFF) | (long) (h & 0x3FFF) << 14;
    byte[] payload =
        new Bytes()
            .u8(0x2F)
            .u8((int) (bits & 0xFF))
            .u8((int) (bits >> 8 & 0xFF))
            .u8((int) (bits >> 16 & 0xFF))
            .u8((int) (bits >> 24 & 0xFF))
            .toByteArray();
    return riffWebp("VP8L", payload);
  }

  static byte[] webpLossy(int width, int height) {
    byte[] payload =
        new Bytes().hex("50 01 00").hex("9D 01 2A").le16(width).le16(height).toByteArray();
    return riffWebp("VP8 ", payload);
  }

  private static byte[] riffWebp(String chunk, byte[] payload) {
    byte[] body =
        new Bytes().ascii("WEBP").ascii(chunk).le32(payload.length).bytes(payload).toByteArray();
    return new Bytes().ascii("RIFF").le32(body.length).bytes(body).toByteArray();
  }

  /** A byte builder for the formats above. */
  static final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes u8(int v) {
      out.write(v);
      return this;
    }

    Bytes be16(int v) {
      return u8(v >> 8 & 0xFF).u8(v & 0xFF);
    }

    Bytes be32(int v) {
      return be16(v >>> 16).be16(v & 0xFFFF);
    }

    Bytes le16(int v) {
      return u8(v & 0xFF).u8(v >> 8 & 0xFF);
    }

    Bytes le24(int v) {
      return le16(v & 0xFFFF).u8(v >> 16 & 0xFF);
    }

    Bytes le32(int v) {
      return le16(v & 0xFFFF).le16(v >>> 16);
    }

    Bytes ascii(String s) {
      return bytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    Bytes hex(String s) {
      for (String h : s.split(" ")) {
        u8(Integer.parseInt(h, 16));
      }
      return this;
    }

    Bytes bytes(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    Bytes chunk(String type, byte[] data) {
      be32(data.length);
      byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
      CRC32 crc = new CRC32();
      crc.update(typeBytes);
      crc.update(data);
      return bytes(typeBytes).bytes(data).be32((int) crc.getValue());
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
