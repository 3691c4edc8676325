package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** RegNet X and Y against torchvision 0.14.1. */
class RegNetTest {

  @Test
  void regnet_y_400mf() {
    ZooCheck.of("regnet_y_400mf", RegNet::regnet_y_400mf, RegNet::forward)
        .check("trunk_output.block1.block1-0.f.se", "trunk_output.block3", "fc");
  }

  @Test
  void regnet_y_800mf() {
    ZooCheck.of("regnet_y_800mf", RegNet::regnet_y_800mf, RegNet::forward)
        .check("stem", "trunk_output.block2.block2-2.add", "fc");
  }

  @Test
  void regnet_y_1_6gf() {
    ZooCheck.of("regnet_y_1_6gf", RegNet::regnet_y_1_6gf, RegNet::forward)
        .check("trunk_output.block4", "flatten", "fc");
  }

  @Test
  void regnet_y_3_2gf() {
    ZooCheck.of("regnet_y_3_2gf", RegNet::regnet_y_3_2gf, RegNet::forward)
        .check("trunk_output.block3.block3-1.activation", "fc");
  }

  @Test
  void regnet_x_400mf() {
    ZooCheck.of("regnet_x_400mf", RegNet::regnet_x_400mf, RegNet::forward)
        .check("trunk_output.block1.block1-0.proj", "avgpool", "fc");
  }

  @Test
  void regnet_x_800mf() {
    ZooCheck.of("regnet_x_800mf", RegNet::regnet_x_800mf, RegNet::forward)
        .check("trunk_output.block3.block3-6.f.b", "fc");
  }

  @Test
  void regnet_x_1_6gf() {
    ZooCheck.of("regnet_x_1_6gf", RegNet::regnet_x_1_6gf, RegNet::forward)
        .check("trunk_output.block2", "fc");
  }

  @Test
  void regnet_x_3_2gf() {
    ZooCheck.of("regnet_x_3_2gf", RegNet::regnet_x_3_2gf, RegNet::forward)
        .check("trunk_output.block4.block4-0.add", "fc");
  }
}
