package dev.featurex.images;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import javax.imageio.metadata.IIOMetadata;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * A GIF's first frame on its logical screen, as PIL shows it: PIL's image has the screen's size,
 * and where the first frame does not cover it, the pixels hold the frame's transparent index if it
 * has one, else index 0 (measured with Pillow 9.4), looked up in the frame's palette.
 */
final class GifCanvas {

  private static final String FORMAT = "javax_imageio_gif_image_1.0";

  private GifCanvas() {}

  /** The logical screen's width and height, from the file's first 10 bytes. */
  static int[] screenSize(byte[] head) {
    return new int[] {
      (head[6] & 0xff) | (head[7] & 0xff) << 8, (head[8] & 0xff) | (head[9] & 0xff) << 8
    };
  }

  /**
   * {@code frame} placed on a {@code width x height} screen, or {@code frame} itself when it covers
   * the screen exactly.
   */
  static BufferedImage place(BufferedImage frame, IIOMetadata metadata, int width, int height) {
    Element root = (Element) metadata.getAsTree(FORMAT);
    Element descriptor = child(root, "ImageDescriptor");
    int left = descriptor == null ? 0 : intAttribute(descriptor, "imageLeftPosition");
    int top = descriptor == null ? 0 : intAttribute(descriptor, "imageTopPosition");
    if (left == 0 && top == 0 && frame.getWidth() == width && frame.getHeight() == height) {
      return frame;
    }
    if (!(frame.getColorModel() instanceof IndexColorModel palette)) {
      throw new UnsupportedOperationException("GIF frame without a palette");
    }
    int fill = 0;
    Element control = child(root, "GraphicControlExtension");
    if (control != null && "TRUE".equals(control.getAttribute("transparentColorFlag"))) {
      fill = intAttribute(control, "transparentColorIndex");
    }
    // A palette large enough for the fill index (entries past the frame's palette are black).
    IndexColorModel colors = palette;
    if (fill >= palette.getMapSize()) {
      colors = padded(palette, fill + 1);
    }
    BufferedImage screen =
        new BufferedImage(width, height, BufferedImage.TYPE_BYTE_INDEXED, colors);
    WritableRaster out = screen.getRaster();
    int[] row = new int[width];
    java.util.Arrays.fill(row, fill);
    for (int y = 0; y < height; y++) {
      out.setSamples(0, y, width, 1, 0, row);
    }
    Raster in = frame.getRaster();
    int x0 = Math.min(left, width);
    int x1 = Math.min(left + frame.getWidth(), width);
    int[] samples = new int[Math.max(0, x1 - x0)];
    for (int y = 0; y < frame.getHeight() && top + y < height && x1 > x0; y++) {
      in.getSamples(0, y, x1 - x0, 1, 0, samples);
      out.setSamples(x0, top + y, x1 - x0, 1, 0, samples);
    }
    return screen;
  }

  private static IndexColorModel padded(IndexColorModel palette, int size) {
    byte[] r = new byte[size];
    byte[] g = new byte[size];
    byte[] b = new byte[size];
    int n = palette.getMapSize();
    byte[] tmp = new byte[n];
    palette.getReds(tmp);
    System.arraycopy(tmp, 0, r, 0, n);
    palette.getGreens(tmp);
    System.arraycopy(tmp, 0, g, 0, n);
    palette.getBlues(tmp);
    System.arraycopy(tmp, 0, b, 0, n);
    return new IndexColorModel(8, size, r, g, b);
  }

  private static Element child(Element root, String name) {
    NodeList nodes = root.getElementsByTagName(name);
    Node node = nodes.getLength() > 0 ? nodes.item(0) : null;
    return (Element) node;
  }

  private static int intAttribute(Element element, String name) {
    String value = element.getAttribute(name);
    return value.isEmpty() ? 0 : Integer.parseInt(value);
  }
}
