package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** DenseNet against torchvision 0.14.1. */
class DenseNetTest {

  @Test
  void densenet121() {
    ZooCheck.of("densenet121", DenseNet::densenet121, DenseNet::forward)
        .check("features.denseblock2.denselayer3.cat", "features.transition3", "classifier");
  }

  @Test
  void densenet161() {
    ZooCheck.of("densenet161", DenseNet::densenet161, DenseNet::forward)
        .check("features.denseblock4", "adaptive_avg_pool2d", "classifier");
  }

  @Test
  void densenet169() {
    ZooCheck.of("densenet169", DenseNet::densenet169, DenseNet::forward)
        .check("features.denseblock3.denselayer32.conv2", "classifier");
  }

  @Test
  void densenet201() {
    ZooCheck.of("densenet201", DenseNet::densenet201, DenseNet::forward)
        .check("features.norm5", "relu", "classifier");
  }
}
