package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** MobileNetV2 and V3 against torchvision 0.14.1. */
class MobileNetTest {

  @Test
  void mobilenet_v2() {
    ZooCheck.of("mobilenet_v2", MobileNetV2::mobilenet_v2, MobileNetV2::forward)
        .check("features.1.conv.2", "features.3.add", "features.18", "classifier.1");
  }

  @Test
  void mobilenet_v3_large() {
    ZooCheck.of("mobilenet_v3_large", MobileNetV3::mobilenet_v3_large, MobileNetV3::forward)
        .check("features.4.block.2", "features.15.add", "classifier.1", "classifier.3");
  }

  @Test
  void mobilenet_v3_small() {
    ZooCheck.of("mobilenet_v3_small", MobileNetV3::mobilenet_v3_small, MobileNetV3::forward)
        .check("features.1.block.1", "features.12", "avgpool", "classifier.3");
  }
}
