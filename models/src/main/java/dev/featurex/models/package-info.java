/**
 * torchvision's classification families for JavaCPP: one class per family, with static builders
 * named as torchvision's ({@code ResNet.resnet50()}, {@code MobileNetV3.mobilenet_v3_small()}),
 * torchvision's module names and parameter layout (so torchvision's state dicts load strictly), and
 * torchvision's graph node names, both traced by the featurex processor ({@code @Traceable}).
 *
 * <p>Each builder gives torchvision's model as its builder without weights gives it (for example
 * {@code googlenet()} with its auxiliary classifiers), with PyTorch's default initialisation of
 * libtorch's modules. Weights come from a state dict ({@code dev.featurex.runtime.StateDict}).
 *
 * <p>Built-in containers cannot hold Java modules in the presets ({@code SequentialImpl.push_back}
 * takes only libtorch's modules), so where torchvision has an {@code nn.Sequential} of its own
 * blocks the Java model registers a {@code ModuleListImpl} under the same name (children {@code
 * "0"}, {@code "1"}, ... as in torchvision) and walks a Java list of the same blocks.
 */
package dev.featurex.models;
