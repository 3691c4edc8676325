package dev.featurex.models;

import org.bytedeco.pytorch.Tensor;

/**
 * What {@link GoogLeNet#forward} returns, torchvision's {@code GoogLeNetOutputs}: the logits and,
 * in training with auxiliary classifiers, theirs (null otherwise, where torchvision returns the
 * logits alone).
 *
 * @param logits the main classifier's logits
 * @param auxLogits2 the second auxiliary classifier's logits, or null
 * @param auxLogits1 the first auxiliary classifier's logits, or null
 */
public record GoogLeNetOutputs(Tensor logits, Tensor auxLogits2, Tensor auxLogits1) {}
