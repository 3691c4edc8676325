package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** AlexNet against torchvision 0.14.1. */
class AlexNetTest {

  @Test
  void alexnet() {
    ZooCheck.of("alexnet", AlexNet::alexnet, AlexNet::forward)
        .check("features.4", "avgpool", "classifier.6");
  }
}
