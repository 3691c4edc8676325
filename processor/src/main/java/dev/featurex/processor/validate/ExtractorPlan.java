package dev.featurex.processor.validate;

import dev.featurex.processor.trace.ModelTracer;
import java.util.List;

/**
 * A validated {@code @ExtractFeatures}: what to generate.
 *
 * @param name the suffix of the generated names
 * @param configuration the traced configuration it extracts from
 * @param components the record's components, in execution order (eval mode's)
 */
public record ExtractorPlan(
    String name, ModelTracer.Result configuration, List<Component> components) {

  /**
   * One feature.
   *
   * @param key the map key, as written in the annotation
   * @param identifier the record component's name
   * @param trainNode the node that answers it in train mode
   * @param evalNode the node that answers it in eval mode
   */
  public record Component(String key, String identifier, int trainNode, int evalNode) {}
}
