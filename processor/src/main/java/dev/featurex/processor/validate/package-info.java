/**
 * Validation of {@code @ExtractFeatures} return nodes against the traced graphs (torchvision's
 * rules).
 */
package dev.featurex.processor.validate;
