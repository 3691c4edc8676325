package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** MNASNet 0.5, 0.75, 1.0 and 1.3 against torchvision 0.14.1. */
class MNASNetTest {

  @Test
  void mnasnet0_5() {
    ZooCheck.of("mnasnet0_5", MNASNet::mnasnet0_5, MNASNet::forward)
        .check("layers.7", "layers.9.1.add", "mean", "classifier.1");
  }

  @Test
  void mnasnet0_75() {
    ZooCheck.of("mnasnet0_75", MNASNet::mnasnet0_75, MNASNet::forward)
        .check("layers.12", "layers.16", "classifier.1");
  }

  @Test
  void mnasnet1_0() {
    ZooCheck.of("mnasnet1_0", MNASNet::mnasnet1_0, MNASNet::forward)
        .check("layers.8.0.layers.3", "layers.11", "classifier.1");
  }

  @Test
  void mnasnet1_3() {
    ZooCheck.of("mnasnet1_3", MNASNet::mnasnet1_3, MNASNet::forward)
        .check("layers.10.2.add", "classifier.1");
  }
}
