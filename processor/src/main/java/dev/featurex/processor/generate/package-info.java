/**
 * Generated sources (JavaPoet), deterministic for the same input: {@code <Model>_FeatureGraph}
 * (graphs and node programs for the run-time API), {@code <Model><Name>Features} and {@code
 * <Model><Name>FeatureExtractor}. Node calls are written by one {@link
 * dev.featurex.processor.generate.NodeExpressions} for both.
 */
package dev.featurex.processor.generate;
