package dev.featurex.models;

import dev.featurex.models.support.ZooCheck;
import org.junit.jupiter.api.Test;

/**
 * Swin-T against torchvision 0.14.1: the attention reads its parameters and buffer, and
 * torchvision's {@code torch.fx.wrap}ped functions ({@code _get_relative_position_bias}, {@code
 * shifted_window_attention}, {@code _patch_merging_pad}) are one node each.
 */
class SwinTransformerTest {

  @Test
  void swin_t() {
    ZooCheck.of("swin_t", SwinTransformer::swin_t, SwinTransformer::forward)
        .check("features.1.1.add_1", "features.4._patch_merging_pad", "features.7", "head");
  }
}
