package dev.featurex.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What an inference plan ({@link InferencePlan}) may assume about the value of one node: who owns
 * its Java handle, whether its storage is new, which of its inputs an in-place variant of the node
 * may overwrite, and its part in a batch-norm fold or a layout choice. The processor derives them
 * from the Java call behind each node; the runtime from the module types of a native tree. A node
 * whose call is not known is {@link #UNKNOWN}: never freed early, never overwritten, never folded.
 *
 * @param handle who owns the Java object holding the node's value
 * @param freshStorage whether the value's storage is new, shared with no other value (a
 *     convolution's output is; a view, an identity or an eval-mode dropout is not)
 * @param overwritable the inputs (node indices) that an in-place variant of the node may write its
 *     result into, in order of preference: {@code relu(x)} may overwrite {@code x}, {@code
 *     a.add(b)} {@code a} or {@code b}
 * @param role the node's part in a fold or a layout choice
 */
public record NodeTraits(
    Handle handle, boolean freshStorage, List<Integer> overwritable, Role role) {

  /** Who owns the Java object that holds a node's value. */
  public enum Handle {
    /**
     * A new object made by the call (a libtorch result returned by value): the plan may free it.
     */
    OWNED,
    /** An object the call does not own: an input of {@code forward}, a parameter, a non-tensor. */
    BORROWED,
    /**
     * May be one of its inputs' objects, or point into one (an in-place method's result, a Java
     * leaf module's, an element of a vector): never freed, and its inputs live as long as it does.
     */
    ALIAS
  }

  /**
   * A node's part in what an inference plan computes with other kernels: the fold of a batch norm
   * into the convolution before it, or a 2-d max pooling that may run on a channels-last copy.
   */
  public enum Role {
    /** No part. */
    NONE,
    /** A 2-d convolution module called on one tensor. */
    CONVOLUTION,
    /** A 2-d batch-norm module called on one tensor. */
    BATCH_NORM,
    /** A 2-d max-pooling module called on one tensor. */
    MAX_POOL
  }

  /** The traits of a node nothing is known about. */
  public static final NodeTraits UNKNOWN =
      new NodeTraits(Handle.ALIAS, false, List.of(), Role.NONE);

  /** The traits of an input, a parameter or a value that is not a tensor. */
  public static final NodeTraits BORROWED =
      new NodeTraits(Handle.BORROWED, false, List.of(), Role.NONE);

  /**
   * Built-in modules whose {@code forward} always returns new storage. Activations are not among
   * them: their {@code inplace} option, which a trace cannot read, makes them return their input.
   */
  private static final Set<String> FRESH_MODULES =
      Set.of(
          "Conv1dImpl",
          "Conv2dImpl",
          "Conv3dImpl",
          "ConvTranspose1dImpl",
          "ConvTranspose2dImpl",
          "ConvTranspose3dImpl",
          "BatchNorm1dImpl",
          "BatchNorm2dImpl",
          "BatchNorm3dImpl",
          "InstanceNorm1dImpl",
          "InstanceNorm2dImpl",
          "InstanceNorm3dImpl",
          "LayerNormImpl",
          "GroupNormImpl",
          "LinearImpl",
          "MaxPool1dImpl",
          "MaxPool2dImpl",
          "MaxPool3dImpl",
          "AvgPool1dImpl",
          "AvgPool2dImpl",
          "AvgPool3dImpl",
          "AdaptiveAvgPool1dImpl",
          "AdaptiveAvgPool2dImpl",
          "AdaptiveAvgPool3dImpl",
          "AdaptiveMaxPool1dImpl",
          "AdaptiveMaxPool2dImpl",
          "AdaptiveMaxPool3dImpl");

  /**
   * Built-in activation modules that have an in-place variant computing the same values: {@code
   * relu_}, {@code hardtanh_(0, 6)}, {@code silu_}, {@code sigmoid_}, {@code tanh_}.
   */
  private static final Set<String> IN_PLACE_MODULES =
      Set.of("ReLUImpl", "ReLU6Impl", "SiLUImpl", "SigmoidImpl", "TanhImpl");

  /**
   * The traits of a call of the built-in module of class {@code simpleType} ({@code Conv2dImpl},
   * the Java and C++ simple name alike) on the one tensor of node {@code input}: its result is a
   * new handle; its storage is new for convolutions, norms, linear layers and pools; an activation
   * with an in-place variant may overwrite {@code input}; a 2-d convolution and a 2-d batch norm
   * may fold; a 2-d max pooling may run channels-last.
   */
  public static NodeTraits ofModule(String simpleType, int input) {
    NodeTraits traits = owned(FRESH_MODULES.contains(simpleType));
    if (IN_PLACE_MODULES.contains(simpleType)) {
      traits = traits.overwriting(input);
    }
    return switch (simpleType) {
      case "Conv2dImpl" -> traits.withRole(Role.CONVOLUTION);
      case "BatchNorm2dImpl" -> traits.withRole(Role.BATCH_NORM);
      case "MaxPool2dImpl" -> traits.withRole(Role.MAX_POOL);
      default -> traits;
    };
  }

  /** Whether a built-in module of class {@code simpleType} has an in-place variant. */
  public static boolean hasInPlaceVariant(String simpleType) {
    return IN_PLACE_MODULES.contains(simpleType);
  }

  /** Validates and copies. */
  public NodeTraits {
    Objects.requireNonNull(handle, "handle");
    Objects.requireNonNull(role, "role");
    overwritable = List.copyOf(overwritable);
  }

  /** A value made by its call, with new storage or not, that nothing may overwrite. */
  public static NodeTraits owned(boolean freshStorage) {
    return new NodeTraits(Handle.OWNED, freshStorage, List.of(), Role.NONE);
  }

  /** These traits with an in-place variant that may overwrite {@code inputs}, in order. */
  public NodeTraits overwriting(Integer... inputs) {
    return new NodeTraits(handle, freshStorage, List.of(inputs), role);
  }

  /** These traits with {@code role}. */
  public NodeTraits withRole(Role role) {
    return new NodeTraits(handle, freshStorage, overwritable, role);
  }

  /**
   * The traits of a graph's nodes as text ({@link Records}, one record per node: handle, fresh
   * storage, role, overwritable inputs); generated code keeps them in this form.
   */
  public static String encode(List<NodeTraits> traits) {
    List<List<String>> records = new ArrayList<>(traits.size());
    for (NodeTraits t : traits) {
      StringBuilder inputs = new StringBuilder();
      for (int input : t.overwritable) {
        inputs.append(inputs.length() == 0 ? "" : ",").append(input);
      }
      records.add(
          List.of(
              t.handle.name(),
              t.freshStorage ? "fresh" : "shared",
              t.role.name(),
              inputs.toString()));
    }
    return Records.encode(records);
  }

  /**
   * The traits {@link #encode} wrote, from its text cut in {@link Records#chunks}.
   *
   * @throws IllegalArgumentException when the text is not a list of traits
   */
  public static List<NodeTraits> decode(String... chunks) {
    List<NodeTraits> traits = new ArrayList<>();
    for (List<String> record : Records.decode(chunks)) {
      if (record.size() != 4 || !List.of("fresh", "shared").contains(record.get(1))) {
        throw new IllegalArgumentException("not encoded node traits: " + record);
      }
      List<Integer> inputs = new ArrayList<>();
      if (!record.get(3).isEmpty()) {
        for (String input : record.get(3).split(",")) {
          inputs.add(Integer.parseInt(input));
        }
      }
      traits.add(
          new NodeTraits(
              Handle.valueOf(record.get(0)),
              record.get(1).equals("fresh"),
              inputs,
              Role.valueOf(record.get(2))));
    }
    return traits;
  }
}
