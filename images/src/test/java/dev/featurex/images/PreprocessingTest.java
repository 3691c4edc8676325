package dev.featurex.images;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** torchvision's size and offset rules, and the options' checks. */
class PreprocessingTest {

  @Test
  void resizeKeepsAspectWithTorchvisionsTruncation() {
    Preprocessing p = Preprocessing.imagenet();
    // 500x375 (w x h): the shorter side (375) becomes 256, the longer int(256 * 500 / 375) = 341.
    assertThat(p.resizedSize(375, 500)).asList().containsExactly(256, 341).inOrder();
    assertThat(p.resizedSize(500, 375)).asList().containsExactly(341, 256).inOrder();
    // A square stays square; w <= h puts the short side on the width.
    assertThat(p.resizedSize(300, 300)).asList().containsExactly(256, 256).inOrder();
    // int(256 * 641 / 427) = int(384.29...) = 384
    assertThat(p.resizedSize(427, 641)).asList().containsExactly(256, 384).inOrder();
    Preprocessing exact = Preprocessing.builder().resize(100, 50).build();
    assertThat(exact.resizedSize(7, 9)).asList().containsExactly(100, 50).inOrder();
  }

  @Test
  void centerCropRoundsHalfToEvenAsPython() {
    // round(58.5) == 58 and round(59.5) == 60 in Python 3.
    assertThat(Preprocessing.cropStart(341, 224)).isEqualTo(58);
    assertThat(Preprocessing.cropStart(343, 224)).isEqualTo(60);
    assertThat(Preprocessing.cropStart(256, 224)).isEqualTo(16);
    // A crop larger than the image pads (crop - size) // 2 before.
    assertThat(Preprocessing.cropStart(20, 25)).isEqualTo(-2);
  }

  @Test
  void normalizationIsTorchsFloat32Arithmetic() {
    Preprocessing p = Preprocessing.imagenet();
    byte[] pixel = {(byte) 255, 0, (byte) 128};
    float[] out = p.apply(new RgbImage(1, 1, pixel));
    // 1x1 resized to 256x256 stays 255/0/128 everywhere (a constant image).
    assertThat(out[0]).isEqualTo((1f - 0.485f) / 0.229f);
    assertThat(out[224 * 224]).isEqualTo((0f - 0.456f) / 0.224f);
    assertThat(out[2 * 224 * 224]).isEqualTo((128f / 255f - 0.406f) / 0.225f);
  }

  @Test
  void writesAtTheOffsetAndNowhereElse() {
    Preprocessing p = Preprocessing.builder().resize(4).centerCrop(2).build();
    RgbImage image = new RgbImage(2, 2, new byte[12]);
    float[] dest = new float[3 * p.floatsPerImage()];
    java.util.Arrays.fill(dest, 7f);
    p.apply(image, dest, p.floatsPerImage());
    assertThat(dest[0]).isEqualTo(7f);
    assertThat(dest[p.floatsPerImage()]).isEqualTo((0f - 0.485f) / 0.229f);
    assertThat(dest[2 * p.floatsPerImage()]).isEqualTo(7f);
    assertThrows(IndexOutOfBoundsException.class, () -> p.apply(image, dest, dest.length - 1));
  }

  @Test
  void optionsAreChecked() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Preprocessing.builder().resize(0));
    assertThat(e).hasMessageThat().isEqualTo("resize size must be between 1 and 32768, got 0");
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Preprocessing.builder().std(0.2f, 0f, 0.2f));
    assertThat(e).hasMessageThat().contains("std values must be positive and finite");
    assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
  }

  @Test
  void describesItselfLikeTorchvision() {
    assertThat(Preprocessing.imagenet().toString())
        .isEqualTo(
            "Resize(size=256, interpolation=bilinear), CenterCrop(size=(224, 224)), ToTensor(),"
                + " Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])");
  }
}
