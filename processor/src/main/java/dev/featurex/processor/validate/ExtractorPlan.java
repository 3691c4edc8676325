package dev.featurex.processor.validate;

import dev.featurex.processor.model.Configuration;
import java.util.List;

/**
 * A validated {@code @ExtractFeatures}: what to generate.
 *
 * @param name the suffix of the generated names
 * @param configuration the traced configuration it extracts from
 * @param components the record's components, in execution order (eval mode's)
 */
public record ExtractorPlan(String name, Configuration configuration, List<Component> components) {

  /** Copies the components. */
  public ExtractorPlan {
    components = List.copyOf(components);
  }

  /**
   * One feature.
   *
   * @param key the map key, as written in the annotation
   * @param identifier the record component's name
   * @param trainNode the node that answers it in train mode
   * @param evalNode the node that answers it in eval mode
   */
  public record Component(String key, String identifier, int trainNode, int evalNode) {}

  /** The node that answers each component in a mode, in component order. */
  public int[] nodes(boolean training) {
    return components.stream().mapToInt(c -> training ? c.trainNode() : c.evalNode()).toArray();
  }
}
