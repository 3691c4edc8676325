package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** EfficientNet B0 to B7 against torchvision 0.14.1. */
class EfficientNetTest {

  @Test
  void efficientnet_b0() {
    ZooCheck.of("efficientnet_b0", EfficientNet::efficientnet_b0, EfficientNet::forward)
        .check("features.2.1.stochastic_depth", "features.5", "classifier.1");
  }

  @Test
  void efficientnet_b1() {
    ZooCheck.of("efficientnet_b1", EfficientNet::efficientnet_b1, EfficientNet::forward)
        .check("features.3.2.add", "features.8", "classifier.1");
  }

  @Test
  void efficientnet_b2() {
    ZooCheck.of("efficientnet_b2", EfficientNet::efficientnet_b2, EfficientNet::forward)
        .check("features.1.0.block.1", "avgpool", "classifier.1");
  }

  @Test
  void efficientnet_b3() {
    ZooCheck.of("efficientnet_b3", EfficientNet::efficientnet_b3, EfficientNet::forward)
        .check("features.6.5.block.3", "classifier.1");
  }

  @Test
  void efficientnet_b4() {
    ZooCheck.of("efficientnet_b4", EfficientNet::efficientnet_b4, EfficientNet::forward)
        .check("features.4", "flatten", "classifier.1");
  }

  @Test
  void efficientnet_b5() {
    ZooCheck.of("efficientnet_b5", EfficientNet::efficientnet_b5, EfficientNet::forward)
        .check("features.7.2.add", "classifier.1");
  }

  @Test
  void efficientnet_b6() {
    ZooCheck.of("efficientnet_b6", EfficientNet::efficientnet_b6, EfficientNet::forward)
        .check("features.2", "classifier.1");
  }

  @Test
  void efficientnet_b7() {
    ZooCheck.of("efficientnet_b7", EfficientNet::efficientnet_b7, EfficientNet::forward)
        .check("features.5.9", "features.8", "classifier.1");
  }
}
