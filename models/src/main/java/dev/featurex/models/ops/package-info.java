/**
 * torchvision's {@code torchvision.ops} building blocks that the classification models use ({@link
 * dev.featurex.models.ops.Conv2dNormActivation}, {@link dev.featurex.models.ops.SqueezeExcitation},
 * {@link dev.featurex.models.ops.StochasticDepth}, {@link dev.featurex.models.ops.Permute}, {@link
 * dev.featurex.models.ops.MLP}), with the stand-ins for the few {@code torch.nn} modules libtorch's
 * C++ API lacks ({@link dev.featurex.models.ops.Hardswish}, {@link
 * dev.featurex.models.ops.Hardsigmoid}).
 *
 * <p>Every module here is a {@link dev.featurex.annotations.LeafModule}: torchvision's feature
 * extraction adds every {@code torch.nn.Module} class of {@code torchvision.ops} to its leaf
 * modules ({@code _get_leaf_modules_for_ops} in {@code feature_extraction.py}), and {@code
 * torch.fx} makes every {@code torch.nn} module a leaf, so each call is one node named by the
 * module's qualified name, as in torchvision.
 */
package dev.featurex.models.ops;
