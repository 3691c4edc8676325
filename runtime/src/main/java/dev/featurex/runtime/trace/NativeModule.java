package dev.featurex.runtime.trace;

import dev.featurex.graph.ModuleTypes;
import dev.featurex.runtime.execute.ModuleTrees;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Module;
import org.bytedeco.pytorch.SequentialImpl;
import org.bytedeco.pytorch.StringSharedModuleDict;

/**
 * A module of a native tree as the run-time tracer sees it: its qualified name, its type, and, for
 * a {@code SequentialImpl}, the children its {@code forward} calls, in order.
 *
 * <p>libtorch's {@code Sequential::forward} calls the modules that {@code push_back} added, in
 * order; a child added only with {@code register_module} is part of the tree but never called, so
 * it is not in {@link #sequence()}, as torch.fx would not see it either.
 *
 * @param path the qualified name ({@code ""} for the root, {@code 2.0} for a nested child)
 * @param type the C++ type name ({@code torch::nn::Conv2dImpl}), or {@code Module} for a module
 *     written in Java
 * @param sequence for a {@code SequentialImpl}, the children its {@code forward} calls, in order;
 *     empty otherwise
 */
public record NativeModule(String path, String type, List<NativeModule> sequence) {

  /** The C++ type name of libtorch's {@code Sequential}. */
  public static final String SEQUENTIAL = ModuleTypes.Container.SEQUENTIAL.nativeName();

  /** Validates and copies. */
  public NativeModule {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(type, "type");
    sequence = List.copyOf(sequence);
  }

  /** A module that calls no children ({@code sequence} empty). */
  public static NativeModule leaf(String path, String type) {
    return new NativeModule(path, type, List.of());
  }

  /** Whether this is a {@code SequentialImpl}. */
  public boolean isSequential() {
    return type.equals(SEQUENTIAL);
  }

  /** Reads the tree under {@code root}; native views created on the way are freed before return. */
  @SuppressWarnings("try") // a PointerScope or NoGradGuard works by being open, never named
  public static NativeModule read(Module root) {
    try (PointerScope scope = new PointerScope()) {
      return read("", root);
    }
  }

  private static NativeModule read(String path, Module module) {
    String type = ModuleTrees.typeOf(module);
    SequentialImpl sequential = type.equals(SEQUENTIAL) ? module.asSequential() : null;
    if (sequential == null) {
      return leaf(path, type);
    }
    Map<Long, String> names = childNamesByAddress(module);
    List<NativeModule> sequence = new ArrayList<>();
    for (long i = 0; i < sequential.size(); i++) {
      Module child = sequential.ptr(i);
      String name = names.get(child.address());
      if (name == null) {
        throw new IllegalStateException("child " + i + " of \"" + path + "\" is not registered");
      }
      sequence.add(read(path.isEmpty() ? name : path + "." + name, child));
    }
    return new NativeModule(path, type, sequence);
  }

  private static Map<Long, String> childNamesByAddress(Module module) {
    StringSharedModuleDict children = module.named_children();
    Map<Long, String> names = new HashMap<>();
    for (long i = 0; i < children.size(); i++) {
      var item = children.get(i);
      // The same module pushed twice is called by its first name, as torch.fx's path_of_module
      // does.
      names.putIfAbsent(item.value().address(), item.key().getString());
    }
    return names;
  }
}
