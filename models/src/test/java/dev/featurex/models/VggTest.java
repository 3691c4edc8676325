package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/** VGG with and without batch norm against torchvision 0.14.1. */
class VggTest {

  @Test
  void vgg11() {
    ZooCheck.of("vgg11", Vgg::vgg11, Vgg::forward)
        .imageSize(32)
        .check("features.10", "classifier.1", "classifier.6");
  }

  @Test
  void vgg13() {
    ZooCheck.of("vgg13", Vgg::vgg13, Vgg::forward).imageSize(32).check("features", "classifier");
  }

  @Test
  void vgg16() {
    ZooCheck.of("vgg16", Vgg::vgg16, Vgg::forward)
        .imageSize(32)
        .check("features.29", "avgpool", "classifier.6");
  }

  @Test
  void vgg19() {
    ZooCheck.of("vgg19", Vgg::vgg19, Vgg::forward)
        .imageSize(32)
        .check("features.35", "classifier.6");
  }

  @Test
  void vgg11_bn() {
    ZooCheck.of("vgg11_bn", Vgg::vgg11_bn, Vgg::forward)
        .imageSize(32)
        .check("features.1", "flatten", "classifier.6");
  }

  @Test
  void vgg13_bn() {
    ZooCheck.of("vgg13_bn", Vgg::vgg13_bn, Vgg::forward)
        .imageSize(32)
        .check("features.20", "classifier.6");
  }

  @Test
  void vgg16_bn() {
    ZooCheck.of("vgg16_bn", Vgg::vgg16_bn, Vgg::forward)
        .imageSize(32)
        .check("features.42", "classifier.3", "classifier.6");
  }

  @Test
  void vgg19_bn() {
    ZooCheck.of("vgg19_bn", Vgg::vgg19_bn, Vgg::forward)
        .imageSize(32)
        .check("features.51", "classifier.6");
  }
}
