package dev.featurex.models;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.featurex.models.support.Reference;
import dev.featurex.models.support.ZooCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ShuffleNet V2 against the names torchvision's rules give it.
 *
 * <p>torchvision 0.14.1 (torch 1.13.1) cannot trace ShuffleNet V2 on Python 3.11: {@code x1, x2 =
 * x.chunk(2, dim=1)} and {@code channel_shuffle}'s {@code batchsize, num_channels, height, width =
 * x.size()} unpack a proxy, and torch 1.13's {@code Proxy.__iter__} looks the calling instruction
 * up at {@code f_lasti // 2}, which Python 3.11's inline caches break, so it raises "Proxy object
 * cannot be iterated". With that lookup by offset, as torch 2.0 does it, torchvision's own tracer
 * and naming rules give the lists the reference keeps as {@code eval_py311_unpacking} ({@code
 * models/reference/export.py}): each unpacked item is an {@code operator.getitem} node, {@code
 * getitem}, {@code getitem_1}, ... within the block.
 *
 * <p>The Java port performs the same operations in the same order, with one difference Java
 * imposes: it cannot unpack {@code x.size()}, so {@code channel_shuffle} reads the four sizes with
 * four {@code x.size(d)} calls. torchvision's rules name a call after its method and number repeats
 * within the module, so those are {@code size}, {@code size_1}, {@code size_2}, {@code size_3},
 * where Python has {@code size} and four {@code getitem}s. The chunk's halves stay indexings
 * ({@code halves.get(0)}, {@code halves.get(1)}): {@code getitem} and {@code getitem_1}, as in
 * torchvision.
 */
class ShuffleNetV2Test {

  /**
   * torchvision's names with each {@code size} and the four {@code getitem}s that unpack it
   * replaced by four {@code size} calls.
   */
  static List<String> argued(List<String> torchvision) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < torchvision.size(); i++) {
      String name = torchvision.get(i);
      if (!name.endsWith(".size")) {
        names.add(name);
        continue;
      }
      String scope = name.substring(0, name.length() - "size".length());
      for (int k = 1; k <= 4; k++) {
        assertWithMessage("torchvision unpacks %s into four items", name)
            .that(torchvision.get(i + k))
            .matches(java.util.regex.Pattern.quote(scope) + "getitem(_\\d+)?");
      }
      names.add(name);
      names.add(name + "_1");
      names.add(name + "_2");
      names.add(name + "_3");
      i += 4;
    }
    return names;
  }

  private static ZooCheck<ShuffleNetV2> check(
      String name, java.util.function.Supplier<ShuffleNetV2> builder) {
    Reference reference = Reference.of(name);
    return ZooCheck.of(name, builder, ShuffleNetV2::forward)
        .expectedNames(argued(reference.trainUnpacking()), argued(reference.evalUnpacking()));
  }

  @Test
  void shufflenet_v2_x0_5() {
    check("shufflenet_v2_x0_5", ShuffleNetV2::shufflenet_v2_x0_5)
        .check("stage2.1.getitem_1", "stage3", "mean", "fc");
  }

  @Test
  void shufflenet_v2_x1_0() {
    check("shufflenet_v2_x1_0", ShuffleNetV2::shufflenet_v2_x1_0)
        .check("stage2.0.view_1", "stage4.3.branch2.7", "fc");
  }

  @Test
  void shufflenet_v2_x1_5() {
    check("shufflenet_v2_x1_5", ShuffleNetV2::shufflenet_v2_x1_5)
        .check("stage3.4.cat", "conv5", "fc");
  }

  @Test
  void shufflenet_v2_x2_0() {
    check("shufflenet_v2_x2_0", ShuffleNetV2::shufflenet_v2_x2_0).check("maxpool", "stage4", "fc");
  }
}
