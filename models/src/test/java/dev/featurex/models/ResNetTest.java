package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** ResNet, ResNeXt and Wide ResNet against torchvision 0.14.1. */
class ResNetTest {

  @Test
  void resnet18() {
    ZooCheck.of("resnet18", ResNet::resnet18, ResNet::forward)
        .check("layer1.1.relu_1", "layer3", "avgpool", "fc");
  }

  @Test
  void resnet34() {
    ZooCheck.of("resnet34", ResNet::resnet34, ResNet::forward)
        .check("layer2.3.add", "layer4", "fc");
  }

  @Test
  void resnet50() {
    ZooCheck.of("resnet50", ResNet::resnet50, ResNet::forward)
        .check("layer1.0.downsample.1", "layer4.2.relu_2", "fc");
  }

  @Test
  void resnet101() {
    ZooCheck.of("resnet101", ResNet::resnet101, ResNet::forward).check("layer3.22", "fc");
  }

  @Test
  void resnet152() {
    ZooCheck.of("resnet152", ResNet::resnet152, ResNet::forward)
        .check("layer2.7.conv3", "flatten", "fc");
  }

  @Test
  void resnext50_32x4d() {
    ZooCheck.of("resnext50_32x4d", ResNet::resnext50_32x4d, ResNet::forward)
        .check("layer1.2.conv2", "layer4", "fc");
  }

  @Test
  void wide_resnet50_2() {
    ZooCheck.of("wide_resnet50_2", ResNet::wide_resnet50_2, ResNet::forward)
        .check("layer3.5.bn2", "fc");
  }
}
