package dev.featurex.processor.generate;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.LeafAccess;
import dev.featurex.processor.model.TracedNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * What a generated program or extractor reads from the model and keeps in fields, bound once when
 * it is made: the leaf modules its nodes call, the parameters they read ({@code get_attr}) and the
 * buffers they pass. Each field is named after what it holds ({@code layer1_0_conv1}).
 */
final class Bound {

  private record Field(String name, TypeName type, CodeBlock binding) {}

  private final NameAllocator names;
  private final Map<String, Field> modules = new LinkedHashMap<>();
  private final Map<String, Field> parameters = new LinkedHashMap<>();
  private final Map<String, Field> buffers = new LinkedHashMap<>();

  private Bound(NameAllocator names) {
    this.names = names;
  }

  /**
   * What {@code nodes} need, with field names from {@code names} (which may hold names already
   * taken in the class); bindings read from a {@code Bindings} local named {@code bindings}.
   */
  static Bound of(Iterable<TracedNode> nodes, NameAllocator names, String bindings) {
    Bound bound = new Bound(names);
    for (TracedNode node : nodes) {
      bound.collect(node, bindings);
    }
    return bound;
  }

  private void collect(TracedNode node, String bindings) {
    Call call = node.call();
    if (call instanceof Call.ModuleCall m && !modules.containsKey(m.path())) {
      TypeName type = JavaTypes.of(m.moduleType());
      CodeBlock binding =
          m.access() instanceof LeafAccess.Native n
              ? CodeBlock.of("$N.module($S).$N()", bindings, m.path(), n.view())
              : CodeBlock.of(
                  "($T) $N.javaModule($L)",
                  type,
                  bindings,
                  ((LeafAccess.JavaFields) m.access())
                      .steps().stream()
                          .map(s -> CodeBlock.of("$S", s))
                          .collect(CodeBlock.joining(", ")));
      modules.put(m.path(), new Field(names.newName(identifier(m.path())), type, binding));
    } else if (call instanceof Call.GetAttr g && !parameters.containsKey(g.qualifiedName())) {
      parameters.put(g.qualifiedName(), tensor(g.qualifiedName(), "parameter", bindings));
    }
    List<Arg> args = new ArrayList<>();
    if (call instanceof Call.ModuleCall m) {
      args.addAll(m.args());
    } else if (call instanceof Call.MethodCall m) {
      args.addAll(m.args());
    } else if (call instanceof Call.FunctionCall f) {
      args.addAll(f.args());
    }
    args.forEach(a -> collectBuffers(a, bindings));
  }

  private void collectBuffers(Arg arg, String bindings) {
    if (arg instanceof Arg.BufferRead b) {
      buffers.computeIfAbsent(b.qualifiedName(), n -> tensor(n, "buffer", bindings));
    } else if (arg instanceof Arg.NewArray a) {
      a.elements().forEach(e -> collectBuffers(e, bindings));
    } else if (arg instanceof Arg.NewObject o) {
      o.args().forEach(e -> collectBuffers(e, bindings));
    } else if (arg instanceof Arg.StaticCall c) {
      c.args().forEach(e -> collectBuffers(e, bindings));
    } else if (arg instanceof Arg.Cast c) {
      collectBuffers(c.arg(), bindings);
    }
  }

  private Field tensor(String qualifiedName, String kind, String bindings) {
    return new Field(
        names.newName(identifier(qualifiedName)),
        JavaTypes.TENSOR,
        CodeBlock.of("$N.$N($S)", bindings, kind, qualifiedName));
  }

  /** Whether anything is bound. */
  boolean isEmpty() {
    return modules.isEmpty() && parameters.isEmpty() && buffers.isEmpty();
  }

  /** The field holding the module at {@code path}. */
  CodeBlock module(String path) {
    return CodeBlock.of("this.$N", modules.get(path).name());
  }

  /** The field holding the parameter {@code name}. */
  CodeBlock parameter(String name) {
    return CodeBlock.of("this.$N", parameters.get(name).name());
  }

  /** The field holding the buffer {@code name}. */
  CodeBlock buffer(String name) {
    return CodeBlock.of("this.$N", buffers.get(name).name());
  }

  /** Declares the fields on {@code type} and binds them in {@code constructor}. */
  void addTo(TypeSpec.Builder type, MethodSpec.Builder constructor) {
    for (Map<String, Field> fields : List.of(modules, parameters, buffers)) {
      for (Field f : fields.values()) {
        type.addField(
            FieldSpec.builder(f.type(), f.name(), Modifier.PRIVATE, Modifier.FINAL).build());
        constructor.addStatement("this.$N = $L", f.name(), f.binding());
      }
    }
  }

  /** A Java identifier for a qualified name: {@code layer1.0.conv1} is {@code layer1_0_conv1}. */
  static String identifier(String qualifiedName) {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < qualifiedName.length(); i++) {
      char c = qualifiedName.charAt(i);
      id.append(Character.isJavaIdentifierPart(c) && c < 0x80 ? c : '_');
    }
    if (id.length() == 0 || !Character.isJavaIdentifierStart(id.charAt(0))) {
      id.insert(0, '_');
    }
    return id.toString();
  }
}
