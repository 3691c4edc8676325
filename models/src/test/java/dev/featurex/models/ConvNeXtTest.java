package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/**
 * ConvNeXt tiny and small against torchvision 0.14.1: each block reads its {@code layer_scale}
 * parameter ({@code features.1.0.features_1_0_layer_scale}), each {@code LayerNorm2d} its weight
 * and bias.
 */
class ConvNeXtTest {

  @Test
  void convnext_tiny() {
    ZooCheck.of("convnext_tiny", ConvNeXt::convnext_tiny, ConvNeXt::forward)
        .check("features.1.0.mul", "features.2.1", "classifier.0.layer_norm", "classifier.2");
  }

  @Test
  void convnext_small() {
    ZooCheck.of("convnext_small", ConvNeXt::convnext_small, ConvNeXt::forward)
        .check("features.5.26.add", "features.6", "classifier.2");
  }
}
