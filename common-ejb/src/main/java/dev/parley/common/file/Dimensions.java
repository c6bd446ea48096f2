package dev.parley.common.file;

/** The width and height of an image in pixels, as it is displayed (EXIF rotation applied). */
public record Dimensions(int width, int height) {

  public Dimensions {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("dimensions must be positive: " + width + "x" + height);
    }
  }
}
