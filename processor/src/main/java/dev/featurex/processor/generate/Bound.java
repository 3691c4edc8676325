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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * What a generated program or extractor reads from the model and keeps in fields, bound once when
 * it is made: the leaf modules its nodes call, the parameters they read ({@code get_attr}) and the
 * buffers they pass. Each field is named after what it holds ({@code layer1_0_conv1}).
 */
final class Bound implements BoundReferences {
  /**
   * The most bindings kept in fields of their own, bound in the constructor. Beyond that (a model
   * of thousands of layers) they go into one array filled by methods of {@value #CHUNK} statements
   * each, so no method nears the JVM's 64 KB limit and the constant pool stays small.
   */
  static final int MAX_FIELDS = 400;

  static final int CHUNK = 400;

  /** The longest identifier generated from a name; longer ones are cut and made unique. */
  static final int MAX_IDENTIFIER = 80;

  /**
   * One bound object: its field name and type, the statement binding it, and the same as a record
   * the runtime's {@code Bindings.resolve} reads (for programs that keep their bindings as data).
   */
  record Field(String name, TypeName type, CodeBlock binding, List<String> record) {}

  private final NameAllocator names;
  private final Map<String, Field> modules = new LinkedHashMap<>();
  private final Map<String, Field> parameters = new LinkedHashMap<>();
  private final Map<String, Field> buffers = new LinkedHashMap<>();
  private Map<Field, Integer> slots;

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
      CodeBlock binding;
      List<String> record = new ArrayList<>();
      if (m.access() instanceof LeafAccess.Native n) {
        binding = CodeBlock.of("$N.module($S).$N()", bindings, m.path(), n.view());
        record.addAll(List.of("module", m.path(), n.view()));
      } else {
        List<String> steps = ((LeafAccess.JavaFields) m.access()).steps();
        binding =
            CodeBlock.of(
                "($T) $N.javaModule($L)",
                type,
                bindings,
                steps.stream().map(s -> CodeBlock.of("$S", s)).collect(CodeBlock.joining(", ")));
        record.addAll(List.of("java", m.path()));
        record.addAll(steps);
      }
      modules.put(m.path(), new Field(names.newName(identifier(m.path())), type, binding, record));
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
        CodeBlock.of("$N.$N($S)", bindings, kind, qualifiedName),
        List.of(kind, qualifiedName));
  }

  /** Whether anything is bound. */
  boolean isEmpty() {
    return modules.isEmpty() && parameters.isEmpty() && buffers.isEmpty();
  }

  /** The field holding the module at {@code path}. */
  @Override
  public CodeBlock module(String path) {
    return reference(modules.get(path));
  }

  /** The field holding the parameter {@code name}. */
  @Override
  public CodeBlock parameter(String name) {
    return reference(parameters.get(name));
  }

  /** The field holding the buffer {@code name}. */
  @Override
  public CodeBlock buffer(String name) {
    return reference(buffers.get(name));
  }

  /** What is bound for the module at {@code path}. */
  Field moduleField(String path) {
    return modules.get(path);
  }

  /** What is bound for the parameter {@code name}. */
  Field parameterField(String name) {
    return parameters.get(name);
  }

  /** What is bound for the buffer {@code name}. */
  Field bufferField(String name) {
    return buffers.get(name);
  }

  /** Everything bound, modules first, then parameters, then buffers. */
  List<Field> all() {
    List<Field> fields = new ArrayList<>(modules.values());
    fields.addAll(parameters.values());
    fields.addAll(buffers.values());
    return fields;
  }

  private boolean inArray() {
    return modules.size() + parameters.size() + buffers.size() > MAX_FIELDS;
  }

  private CodeBlock reference(Field field) {
    if (!inArray()) {
      return CodeBlock.of("this.$N", field.name());
    }
    if (slots == null) {
      slots = new HashMap<>();
      for (Field f : all()) {
        slots.put(f, slots.size());
      }
    }
    return CodeBlock.of("(($T) this.bound[$L])", field.type(), slots.get(field));
  }

  /** Declares the fields on {@code type} and binds them in {@code constructor}. */
  void addTo(TypeSpec.Builder type, MethodSpec.Builder constructor) {
    List<Field> fields = all();
    if (!inArray()) {
      for (Field f : fields) {
        type.addField(
            FieldSpec.builder(f.type(), f.name(), Modifier.PRIVATE, Modifier.FINAL).build());
        constructor.addStatement("this.$N = $L", f.name(), f.binding());
      }
      return;
    }
    type.addField(
        FieldSpec.builder(Object[].class, "bound", Modifier.PRIVATE, Modifier.FINAL)
            .initializer("new Object[$L]", fields.size())
            .build());
    for (int chunk = 0; chunk * CHUNK < fields.size(); chunk++) {
      MethodSpec.Builder bind =
          MethodSpec.methodBuilder("bind" + chunk)
              .addModifiers(Modifier.PRIVATE)
              .addParameter(JavaTypes.BINDINGS, "bindings");
      for (int i = chunk * CHUNK; i < Math.min(fields.size(), (chunk + 1) * CHUNK); i++) {
        bind.addStatement("this.bound[$L] = $L", i, fields.get(i).binding());
      }
      type.addMethod(bind.build());
      constructor.addStatement("bind$L(bindings)", chunk);
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
    if (id.length() > MAX_IDENTIFIER) {
      String hash = Integer.toHexString(qualifiedName.hashCode());
      return id.substring(0, MAX_IDENTIFIER - hash.length() - 1) + "_" + hash;
    }
    return id.toString();
  }
}
