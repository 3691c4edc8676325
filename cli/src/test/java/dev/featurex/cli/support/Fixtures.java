package dev.featurex.cli.support;

import dev.featurex.models.ResNet;
import dev.featurex.runtime.StateDict;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.global.torch;

/** Generated images and a weights file, shared by the tests of one JVM. */
public final class Fixtures {

  private static Path resnet18Weights;

  private Fixtures() {}

  /**
   * A safetensors state dict of {@code resnet18()} with libtorch's random initialisation and random
   * batch-norm statistics near trained ones (so that every tensor of the file matters), written
   * once per JVM.
   */
  public static synchronized Path resnet18Weights() {
    if (resnet18Weights == null) {
      try {
        Path dir = Files.createTempDirectory("featurex-cli-test");
        dir.toFile().deleteOnExit();
        Module model = ResNet.resnet18();
        torch.manual_seed(7);
        try (org.bytedeco.pytorch.NoGradGuard noGrad = new org.bytedeco.pytorch.NoGradGuard()) {
          // Statistics near what training gives (a mean near 0, a variance near 1): with means
          // near 1 every ReLU would cut almost everything and the features would all be 0.
          StateDict.of(model)
              .forEach(
                  (name, b) -> {
                    if (name.endsWith("running_mean")) {
                      b.copy_(torch.rand_like(b).sub(new Scalar(0.5)).mul(new Scalar(0.2)));
                    } else if (name.endsWith("running_var")) {
                      b.copy_(torch.rand_like(b).mul(new Scalar(0.5)).add(new Scalar(0.75)));
                    }
                  });
        }
        Path file = dir.resolve("resnet18-random.safetensors");
        StateDict.save(model, file);
        file.toFile().deleteOnExit();
        resnet18Weights = file;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return resnet18Weights;
  }

  /**
   * {@code count} images in {@code dir}, named {@code img-00.jpg}, {@code img-01.png}, ...,
   * alternating JPEG and PNG, of various sizes, with gradients and noise.
   */
  public static List<Path> images(Path dir, int count, long seed) {
    Random random = new Random(seed);
    List<Path> files = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        int w = 40 + random.nextInt(60);
        int h = 40 + random.nextInt(60);
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(
            new GradientPaint(
                0, 0, new Color(random.nextInt()), w, h, new Color(random.nextInt())));
        g.fillRect(0, 0, w, h);
        for (int k = 0; k < 20; k++) {
          g.setColor(new Color(random.nextInt()));
          g.fillOval(
              random.nextInt(w), random.nextInt(h), 3 + random.nextInt(15), 3 + random.nextInt(15));
        }
        g.dispose();
        String format = i % 2 == 0 ? "jpg" : "png";
        Path file = dir.resolve(String.format("img-%02d.%s", i, format));
        ImageIO.write(image, format.equals("jpg") ? "jpeg" : "png", file.toFile());
        files.add(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
