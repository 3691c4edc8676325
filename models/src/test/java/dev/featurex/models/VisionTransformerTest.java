package dev.featurex.models;

import static com.google.common.truth.Truth.assertWithMessage;

import dev.featurex.models.support.Reference;
import dev.featurex.models.support.ZooCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ViT-B/16 against the names torchvision's rules give it.
 *
 * <p>torchvision 0.14.1 cannot trace ViT on Python 3.11 ("Proxy object cannot be iterated", see
 * {@link ShuffleNetV2Test}); the reference keeps the names its own tracer gives once unpacking
 * works, as in torch 2.0 ({@code eval_py311_unpacking}). The Java port runs the same operations in
 * the same order; where Java writes them differently the names differ, each for a reason:
 *
 * <ul>
 *   <li>{@code n, _, h, w = x.shape} is {@code getattr} and four {@code getitem}s in Python; Java
 *       reads the three sizes it needs, {@code x.size(0)}, {@code x.size(2)}, {@code x.size(3)}:
 *       {@code size}, {@code size_1}, {@code size_2}. So {@code x.shape[0]} in {@code forward}
 *       ({@code getattr_1}, {@code getitem_4}) is {@code size_3}, and {@code x[:, 0]} ({@code
 *       getitem_5}) is {@code x.select(1, 0)}: {@code select}.
 *   <li>{@code torch._assert(h == self.image_size, ...)} is Java's guard clause {@code if (h !=
 *       imageSize || w != imageSize) throw ...}: the tracer records one guard per condition ({@code
 *       ne}, {@code _assert}, {@code ne_1}, {@code _assert_1}) where Python has {@code eq}.
 *   <li>The encoder's and each layer's {@code torch._assert(input.dim() == 3, f"...
 *       {input.shape}")} is {@code if (input.dim() != 3) throw ... + input.dim()}: {@code dim},
 *       {@code ne}, {@code dim_1}, {@code _assert} for {@code dim}, {@code eq}, {@code getattr},
 *       {@code _assert}.
 *   <li>libtorch's {@code MultiheadAttention} has no {@code batch_first}: the port transposes
 *       around it ({@code transpose}, {@code transpose_1}) and takes the output alone ({@code
 *       getitem}) where Python unpacks two ({@code getitem}, {@code getitem_1}).
 * </ul>
 */
class VisionTransformerTest {

  /** torchvision's names rewritten by the rules above; fails if a rule no longer applies. */
  static List<String> argued(List<String> torchvision) {
    List<String> names = new ArrayList<>(torchvision);
    replace(
        names,
        "",
        List.of(
            "getattr",
            "getitem",
            "getitem_1",
            "getitem_2",
            "getitem_3",
            "eq",
            "_assert",
            "eq_1",
            "_assert_1"),
        List.of("size", "size_1", "size_2", "ne", "_assert", "ne_1", "_assert_1"));
    replace(names, "", List.of("getattr_1", "getitem_4"), List.of("size_3"));
    replace(names, "", List.of("getitem_5"), List.of("select"));
    replace(
        names,
        "encoder.",
        List.of("dim", "eq", "getattr", "_assert"),
        List.of("dim", "ne", "dim_1", "_assert"));
    for (int layer = 0; layer < 12; layer++) {
      String scope = "encoder.layers.encoder_layer_" + layer + ".";
      replace(
          names,
          scope,
          List.of("dim", "eq", "getattr", "_assert"),
          List.of("dim", "ne", "dim_1", "_assert"));
      replace(
          names,
          scope,
          List.of("ln", "self_attention", "getitem", "getitem_1"),
          List.of("ln", "transpose", "self_attention", "getitem", "transpose_1"));
    }
    return names;
  }

  /** Replaces the run {@code from} (each under {@code scope}) by {@code to}; it must be there. */
  private static void replace(
      List<String> names, String scope, List<String> from, List<String> to) {
    List<String> run = from.stream().map(n -> scope + n).toList();
    int at = java.util.Collections.indexOfSubList(names, run);
    assertWithMessage("torchvision's names contain %s", run).that(at).isAtLeast(0);
    names.subList(at, at + run.size()).clear();
    names.addAll(at, to.stream().map(n -> scope + n).toList());
  }

  @Test
  void vit_b_16() {
    Reference reference = Reference.of("vit_b_16");
    ZooCheck.of("vit_b_16", VisionTransformer::vit_b_16, VisionTransformer::forward)
        .expectedNames(argued(reference.trainUnpacking()), argued(reference.evalUnpacking()))
        .imageSize(224)
        .check(
            "encoder.encoder_pos_embedding",
            "encoder.layers.encoder_layer_3.getitem",
            "encoder.layers.encoder_layer_11.add_1",
            "heads.head");
  }
}
