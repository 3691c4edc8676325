package dev.featurex.processor.trace;

import com.sun.source.tree.CompilationUnitTree;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.TypeElement;

/** One activation: {@code this}, the class whose code runs, its file, locals, the naming scope. */
final class Frame {

  final Value.ObjectValue self;
  final TypeElement clazz;
  final CompilationUnitTree unit;
  final Map<String, Value> locals = new HashMap<>();

  /** The qualified name of the module whose {@code forward} runs: ops are named under it. */
  final String scope;

  Frame(Value.ObjectValue self, TypeElement clazz, CompilationUnitTree unit, String scope) {
    this.self = self;
    this.clazz = clazz;
    this.unit = unit;
    this.scope = scope;
  }

  /** Control flow out of a statement: break, continue, return. */
  static final class Jump extends RuntimeException {
    enum Kind {
      BREAK,
      CONTINUE,
      RETURN,
      YIELD
    }

    final Kind kind;
    final String label;
    final Value value;

    Jump(Kind kind, String label, Value value) {
      super(null, null, false, false);
      this.kind = kind;
      this.label = label;
      this.value = value;
    }
  }
}
