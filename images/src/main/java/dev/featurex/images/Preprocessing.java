package dev.featurex.images;

import java.util.Arrays;
import java.util.Locale;

/**
 * torchvision's classification preprocessing on PIL images, in plain Java: {@code Resize(resize,
 * interpolation)}, {@code CenterCrop(crop)}, {@code ToTensor()}, {@code Normalize(mean, std)}, from
 * an {@link RgbImage} to a float {@code 3 x H x W} array.
 *
 * <p>{@link #imagenet()} is the preset of torchvision's ImageNet classification weights ({@code
 * weights.transforms()}, and the {@code transforms.Compose} of its references): resize of the
 * shorter side to 256 with bilinear antialiasing, a 224 x 224 centre crop, and ImageNet's mean
 * {@code (0.485, 0.456, 0.406)} and std {@code (0.229, 0.224, 0.225)}.
 *
 * <p>The rules, as torchvision 0.14 and Pillow compute them:
 *
 * <ul>
 *   <li>Resize with one size: the shorter side becomes {@code size} and the longer one {@code
 *       int(size * long / short)} (truncated); an image already of that size is left alone. With
 *       two sizes, the image becomes exactly {@code height x width}.
 *   <li>The resampling is Pillow's ({@link Interpolation}): two separable passes with 8-bit
 *       rounding between them.
 *   <li>CenterCrop: the window starts at {@code round((size - crop) / 2)} on each axis, rounded
 *       half to even as Python's {@code round}; a crop larger than the image pads it with black
 *       first, {@code (crop - size) // 2} before and the rest after.
 *   <li>ToTensor and Normalize in float32: {@code (v / 255f - mean[c]) / std[c]}, through a table
 *       of the 256 values per channel.
 * </ul>
 *
 * <p>Instances are immutable and thread-safe. The work is on byte and int arrays, and only the
 * pixels inside the crop window are resampled (the same values as resizing everything, then
 * cropping).
 */
public final class Preprocessing {

  /** ImageNet's per-channel mean, torchvision's default for its classification weights. */
  public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};

  /** ImageNet's per-channel standard deviation, torchvision's default for its weights. */
  public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

  private final int resizeShorter;
  private final int resizeHeight;
  private final int resizeWidth;
  private final int cropHeight;
  private final int cropWidth;
  private final float[] mean;
  private final float[] std;
  private final Interpolation interpolation;
  private final float[][] table;

  private Preprocessing(Builder b) {
    this.resizeShorter = b.resizeShorter;
    this.resizeHeight = b.resizeHeight;
    this.resizeWidth = b.resizeWidth;
    this.cropHeight = b.cropHeight;
    this.cropWidth = b.cropWidth;
    this.mean = b.mean.clone();
    this.std = b.std.clone();
    this.interpolation = b.interpolation;
    this.table = new float[3][256];
    for (int c = 0; c < 3; c++) {
      for (int v = 0; v < 256; v++) {
        // float32 all along, as torch: ToTensor's div(255), then Normalize's sub_ and div_.
        table[c][v] = ((float) v / 255f - mean[c]) / std[c];
      }
    }
  }

  /** The ImageNet preset: resize 256 (bilinear), center crop 224, ImageNet mean and std. */
  public static Preprocessing imagenet() {
    return builder().build();
  }

  /** A builder starting from the ImageNet preset. */
  public static Builder builder() {
    return new Builder();
  }

  /** The output's height (the crop's). */
  public int height() {
    return cropHeight;
  }

  /** The output's width (the crop's). */
  public int width() {
    return cropWidth;
  }

  /** The number of floats of one preprocessed image: {@code 3 * height() * width()}. */
  public int floatsPerImage() {
    return 3 * cropHeight * cropWidth;
  }

  /** The resampling filter. */
  public Interpolation interpolation() {
    return interpolation;
  }

  /** The per-channel mean (a copy). */
  public float[] mean() {
    return mean.clone();
  }

  /** The per-channel standard deviation (a copy). */
  public float[] std() {
    return std.clone();
  }

  /**
   * The size (height, width) that the resize gives an image of {@code height x width}, with
   * torchvision's rule.
   */
  public int[] resizedSize(int height, int width) {
    if (resizeShorter == 0) {
      return new int[] {resizeHeight, resizeWidth};
    }
    int shorter = Math.min(height, width);
    int longer = Math.max(height, width);
    // Python: int(size * long / short), a true division of exact integers, truncated.
    int newLonger = (int) ((double) ((long) resizeShorter * longer) / shorter);
    return width <= height
        ? new int[] {newLonger, resizeShorter}
        : new int[] {resizeShorter, newLonger};
  }

  /** Preprocesses one image into a new {@code 3 x height() x width()} array (CHW). */
  public float[] apply(RgbImage image) {
    float[] out = new float[floatsPerImage()];
    apply(image, out, 0);
    return out;
  }

  /**
   * Preprocesses one image into {@code dest} from {@code offset}, channel-major ({@code 3 x
   * height() x width()} floats): the layout of one row of an NCHW batch.
   *
   * @throws IndexOutOfBoundsException when {@code dest} has fewer than {@code floatsPerImage()}
   *     floats from {@code offset}
   */
  public void apply(RgbImage image, float[] dest, int offset) {
    java.util.Objects.checkFromIndexSize(offset, floatsPerImage(), dest.length);
    int[] size = resizedSize(image.height(), image.width());
    int outHeight = size[0];
    int outWidth = size[1];
    PilResize.Window window =
        new PilResize.Window(
            cropStart(outHeight, cropHeight),
            cropStart(outWidth, cropWidth),
            cropHeight,
            cropWidth);
    PilResize.resizeInto(image, outWidth, outHeight, interpolation, window, table, dest, offset);
  }

  /** torchvision's CenterCrop offset on one axis, padding (a negative offset) included. */
  static int cropStart(int size, int crop) {
    if (crop > size) {
      return -((crop - size) / 2);
    }
    return (int) Math.rint((size - crop) / 2.0);
  }

  /** The pipeline as torchvision would print it. */
  @Override
  public String toString() {
    String resize =
        resizeShorter != 0
            ? String.valueOf(resizeShorter)
            : "(" + resizeHeight + ", " + resizeWidth + ")";
    return String.format(
        Locale.ROOT,
        "Resize(size=%s, interpolation=%s), CenterCrop(size=(%d, %d)), ToTensor(),"
            + " Normalize(mean=%s, std=%s)",
        resize,
        interpolation.name().toLowerCase(Locale.ROOT),
        cropHeight,
        cropWidth,
        Arrays.toString(mean),
        Arrays.toString(std));
  }

  /** Options of {@link Preprocessing}, starting from the ImageNet preset. */
  public static final class Builder {
    private int resizeShorter = 256;
    private int resizeHeight;
    private int resizeWidth;
    private int cropHeight = 224;
    private int cropWidth = 224;
    private float[] mean = IMAGENET_MEAN.clone();
    private float[] std = IMAGENET_STD.clone();
    private Interpolation interpolation = Interpolation.BILINEAR;

    private Builder() {}

    /** {@code Resize(size)}: the shorter side becomes {@code size}, the aspect ratio is kept. */
    public Builder resize(int size) {
      this.resizeShorter = positive("resize size", size);
      this.resizeHeight = 0;
      this.resizeWidth = 0;
      return this;
    }

    /** {@code Resize((height, width))}: exactly that size, the aspect ratio is not kept. */
    public Builder resize(int height, int width) {
      this.resizeHeight = positive("resize height", height);
      this.resizeWidth = positive("resize width", width);
      this.resizeShorter = 0;
      return this;
    }

    /** {@code CenterCrop(size)}: a square window in the middle. */
    public Builder centerCrop(int size) {
      return centerCrop(size, size);
    }

    /** {@code CenterCrop((height, width))}. */
    public Builder centerCrop(int height, int width) {
      this.cropHeight = positive("crop height", height);
      this.cropWidth = positive("crop width", width);
      return this;
    }

    /** Normalize's mean, one value per channel (R, G, B). */
    public Builder mean(float r, float g, float b) {
      this.mean = new float[] {r, g, b};
      return this;
    }

    /** Normalize's standard deviation, one positive value per channel (R, G, B). */
    public Builder std(float r, float g, float b) {
      for (float s : new float[] {r, g, b}) {
        if (!(s > 0f) || Float.isInfinite(s)) {
          throw new IllegalArgumentException(
              "std values must be positive and finite, got " + r + ", " + g + ", " + b);
        }
      }
      this.std = new float[] {r, g, b};
      return this;
    }

    /** The resampling filter of the resize (torchvision's default: {@code BILINEAR}). */
    public Builder interpolation(Interpolation interpolation) {
      this.interpolation = java.util.Objects.requireNonNull(interpolation, "interpolation");
      return this;
    }

    /** The preprocessing. */
    public Preprocessing build() {
      return new Preprocessing(this);
    }

    private static int positive(String what, int value) {
      if (value < 1 || value > 1 << 15) {
        throw new IllegalArgumentException(
            what + " must be between 1 and " + (1 << 15) + ", got " + value);
      }
      return value;
    }
  }
}
