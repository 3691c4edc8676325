package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/**
 * GoogLeNet and Inception-v3 against torchvision 0.14.1: their train graphs have the auxiliary
 * classifiers' nodes, their eval graphs do not.
 */
class GoogLeNetTest {

  @Test
  void googlenet() {
    ZooCheck.of("googlenet", GoogLeNet::googlenet, (m, x) -> m.forward(x).logits())
        .check("inception3b.branch2.1.relu", "inception4e.cat", "dropout", "fc");
  }

  @Test
  void inception_v3() {
    ZooCheck.of("inception_v3", Inception3::inception_v3, (m, x) -> m.forward(x).logits())
        .imageSize(80)
        .check("Mixed_5b.avg_pool2d", "Mixed_6a.max_pool2d", "Mixed_7c.cat_2", "fc");
  }
}
