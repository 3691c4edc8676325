/**
 * The run-time API, torchvision's {@code torchvision.models.feature_extraction} for JavaCPP models:
 * {@link dev.featurex.runtime.FeatureExtraction#getGraphNodeNames} lists the node names of a
 * model's train and eval graphs, {@link
 * dev.featurex.runtime.FeatureExtraction#createFeatureExtractor} builds a {@link
 * dev.featurex.runtime.FeatureExtractor} that returns chosen intermediate tensors.
 *
 * <p>It works on models whose class the featurex processor traced ({@code @Traceable} or
 * {@code @ExtractFeatures}) and on {@code SequentialImpl} trees of libtorch's built-in modules,
 * which it traces at run time ({@link dev.featurex.runtime.trace}).
 */
package dev.featurex.runtime;
