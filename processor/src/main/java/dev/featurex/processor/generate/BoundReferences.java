package dev.featurex.processor.generate;

import com.palantir.javapoet.CodeBlock;

/**
 * How generated code reads a module, parameter or buffer bound from the model: a field of its own
 * ({@link Bound}), or an operand of a program's call shape ({@link ProgramWriter}).
 */
interface BoundReferences {

  /** The module at {@code path}. */
  CodeBlock module(String path);

  /** The parameter {@code name}. */
  CodeBlock parameter(String name);

  /** The buffer {@code name}. */
  CodeBlock buffer(String name);
}
