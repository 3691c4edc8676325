package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** SqueezeNet 1.0 and 1.1 against torchvision 0.14.1. */
class SqueezeNetTest {

  @Test
  void squeezenet1_0() {
    ZooCheck.of("squeezenet1_0", SqueezeNet::squeezenet1_0, SqueezeNet::forward)
        .check("features.3.cat", "features.12", "classifier.3", "flatten");
  }

  @Test
  void squeezenet1_1() {
    ZooCheck.of("squeezenet1_1", SqueezeNet::squeezenet1_1, SqueezeNet::forward)
        .check("features.6.expand3x3_activation", "features", "flatten");
  }
}
