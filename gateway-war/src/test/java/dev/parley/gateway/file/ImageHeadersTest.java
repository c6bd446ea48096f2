package dev.parley.gateway.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.common.file.Dimensions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageHeadersTest {

  private static Optional<Dimensions> read(String type, byte[] bytes) throws IOException {
    return ImageHeaders.read(type, new ByteArrayInputStream(bytes));
  }

  private static Optional<Dimensions> of(int width, int height) {
    return Optional.of(new Dimensions(width, height));
  }

  @Test
  void png_readsIhdr() throws IOException {
    assertEquals(of(3, 2), read("image/png", TinyImages.png(3, 2)));
    assertEquals(of(40000, 1), read("image/png", TinyImages.png(40000, 1)));
  }

  @Test
  void gif_readsLogicalScreen() throws IOException {
    assertEquals(of(300, 17), read("image/gif", TinyImages.gif(300, 17)));
  }

  @Test
  void jpeg_readsFrameHeader() throws IOException {
    assertEquals(of(640, 480), read("image/jpeg", TinyImages.jpeg(640, 480, 0)));
    assertEquals(of(640, 480), read("image/jpeg", TinyImages.jpeg(640, 480, 1)));
  }

  @Test
  void jpeg_turnedByExif_swapsWidthAndHeight() throws IOException {
    // A phone photo stored landscape with "rotate 90°": browsers show it portrait.
    assertEquals(of(480, 640), read("image/jpeg", TinyImages.jpeg(640, 480, 6)));
    assertEquals(of(480, 640), read("image/jpeg", TinyImages.jpeg(640, 480, 8)));
    assertEquals(of(640, 480), read("image/jpeg", TinyImages.jpeg(640, 480, 3)), "upside down");
  }

  @Test
  void webp_readsEachHeaderKind() throws IOException {
    assertEquals(of(1024, 768), read("image/webp", TinyImages.webpVp8x(1024, 768)));
    assertEquals(of(16383, 3), read("image/webp", TinyImages.webpLossless(16383, 3)));
    assertEquals(of(5, 7), read("image/webp", TinyImages.webpLossy(5, 7)));
  }

  @Test
  void imagesWrittenByImageIo_matchTheirSize() throws IOException {
    for (String format : new String[] {"png", "gif", "jpeg"}) {
      BufferedImage image = new BufferedImage(37, 11, BufferedImage.TYPE_INT_RGB);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ImageIO.write(image, format, out);
      assertEquals(of(37, 11), read("image/" + format, out.toByteArray()), format);
    }
  }

  @Test
  void truncatedOrForeignHeaders_giveNoDimensions() throws IOException {
    byte[] png = TinyImages.png(3, 2);
    assertEquals(Optional.empty(), read("image/png", Arrays.copyOf(png, 20)));
    assertEquals(Optional.empty(), read("image/gif", Arrays.copyOf(TinyImages.gif(3, 2), 8)));
    byte[] jpeg = TinyImages.jpeg(640, 480, 6);
    assertEquals(Optional.empty(), read("image/jpeg", Arrays.copyOf(jpeg, 30)));
    assertEquals(Optional.empty(), read("image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, 0, 0}));
    assertEquals(Optional.empty(), read("image/png", TinyImages.png(0, 5)), "zero width");
    assertEquals(Optional.empty(), read("application/pdf", "%PDF-1.7".getBytes()));
  }

  @Test
  void exifOrientation_ofLittleEndianTiff() {
    byte[] app1 = {
      'E', 'x', 'i', 'f', 0, 0, 'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6,
      0, 0, 0, 0, 0, 0, 0
    };
    assertEquals(6, ImageHeaders.exifOrientation(app1));
    assertEquals(1, ImageHeaders.exifOrientation(Arrays.copyOf(app1, 16)), "cut short");
    assertEquals(1, ImageHeaders.exifOrientation("http://ns.adobe.com/xap/1.0/".getBytes()));
  }
}
