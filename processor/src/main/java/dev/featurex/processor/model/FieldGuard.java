package dev.featurex.processor.model;

import java.util.List;

/**
 * A known value {@code forward} read from the model while tracing (a flag, a size, an enum
 * constant, a null): the graph is right only for instances that hold the same value, so the runtime
 * checks it before using the graph, as TorchDynamo checks its guards.
 *
 * @param steps how to reach the field from the model: fields and indices ({@code .blocks}, {@code
 *     [0]}, {@code .useResidual})
 * @param kind {@code boolean}, {@code int}, {@code long}, {@code double}, {@code float}, {@code
 *     short}, {@code byte}, {@code char}, {@code String}, {@code enum} or {@code null}
 * @param value the value as text ({@code true}, {@code 3}, the constant's name); empty for null
 */
public record FieldGuard(List<String> steps, String kind, String value) {

  /** Copies the steps. */
  public FieldGuard {
    steps = List.copyOf(steps);
  }

  /** The field as Java would name it from the model ({@code model.blocks[0].useResidual}). */
  public String path() {
    return "model" + String.join("", steps);
  }
}
