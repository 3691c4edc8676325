package dev.featurex.models;

import org.bytedeco.pytorch.Tensor;

/**
 * What {@link Inception3#forward} returns, torchvision's {@code InceptionOutputs}: the logits and,
 * in training with the auxiliary classifier, its logits (null otherwise, where torchvision returns
 * the logits alone).
 *
 * @param logits the main classifier's logits
 * @param auxLogits the auxiliary classifier's logits, or null
 */
public record InceptionOutputs(Tensor logits, Tensor auxLogits) {}
