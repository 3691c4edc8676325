package dev.featurex.processor.model;

import java.util.List;

/** How generated code reaches a leaf module of a model instance. */
public sealed interface LeafAccess {

  /**
   * A built-in module, through the native tree: {@code named_modules().get(path).<view>()}.
   *
   * @param view the typed view ({@code asConv2d})
   */
  record Native(String view) implements LeafAccess {}

  /**
   * A Java leaf module, through the chain of fields and indices the tracer saw from the model
   * ({@code .layers}, {@code [0]}, {@code .block}); the native tree has only a wrapper of it.
   */
  record JavaFields(List<String> steps) implements LeafAccess {
    /** Copies the steps. */
    public JavaFields {
      steps = List.copyOf(steps);
    }
  }
}
