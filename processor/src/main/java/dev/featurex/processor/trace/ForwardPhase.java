package dev.featurex.processor.trace;

import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import dev.featurex.graph.GraphNode;
import dev.featurex.graph.ModuleTypes;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Call;
import dev.featurex.processor.model.EnumConstant;
import dev.featurex.processor.model.FieldGuard;
import dev.featurex.processor.model.LeafAccess;
import dev.featurex.processor.model.ModuleKind;
import dev.featurex.processor.model.Operator;
import dev.featurex.processor.model.TracedGraph;
import dev.featurex.processor.model.TypeNames;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;

/**
 * The forward phase: {@code forward} runs on symbolic inputs and every call on a leaf module, a
 * traced value, a presets function with a traced argument, or a Java operator on traced numbers is
 * recorded as a graph node, named with torchvision's rules. Calls on other Java modules are inlined
 * under the module's qualified name; {@code is_training()} is this trace's mode.
 */
public final class ForwardPhase implements Phase {

  /** Buffers of built-in modules, reached through their accessors. */
  private static final Set<String> BUILT_IN_BUFFERS =
      Set.of("running_mean", "running_var", "num_batches_tracked");

  private final boolean training;
  private final ModuleValue root;
  private final Map<ModuleValue, String> paths;
  private final GraphRecorder recorder = new GraphRecorder();
  private final Map<String, FieldGuard> guards = new LinkedHashMap<>();
  private final FieldPaths fieldPaths;
  private final Map<TensorRef, Value> attributes = new IdentityHashMap<>();

  private ForwardPhase(boolean training, ModuleValue root, Map<ModuleValue, String> paths) {
    this.training = training;
    this.root = root;
    this.fieldPaths = new FieldPaths(root);
    this.paths = paths;
  }

  /**
   * One mode's trace: the graph, and the known values of the model it depends on.
   *
   * @param graph the graph
   * @param guards the fields {@code forward} read, with the values it found
   */
  public record Trace(TracedGraph graph, List<FieldGuard> guards) {}

  /**
   * Traces {@code forward} of {@code root} in one mode.
   *
   * @param paths the qualified name of every module in the tree (identity map)
   * @throws TraceException on the first construct that cannot be traced
   */
  public static Trace trace(
      TraceEnvironment env,
      Heap heap,
      ModuleValue root,
      Map<ModuleValue, String> paths,
      ExecutableElement forward,
      Map<String, Object> concreteArgs,
      boolean training) {
    ForwardPhase phase = new ForwardPhase(training, root, paths);
    Context context = new Context(env, heap, phase);
    Frame top = Frame.top(context, root.type(), "");
    List<Value> inputs = new ArrayList<>();
    int index = 0;
    for (VariableElement p : forward.getParameters()) {
      String name = p.getSimpleName().toString();
      if (concreteArgs.containsKey(name)) {
        inputs.add(concrete(concreteArgs.get(name), top));
        continue;
      }
      int node =
          phase.recorder.record(
              "", name, new Call.Parameter(index++), env.typeTrees().written(p.asType()));
      inputs.add(new Value.Symbolic(node, p.asType()));
    }
    MethodTree tree = env.methodTree(forward);
    Value result = Invocations.INSTANCE.inline(root, forward, inputs, "", tree, top);
    List<Integer> outputs = new ArrayList<>();
    if (!returnedNodes(result, outputs, 0) || outputs.isEmpty()) {
      throw top.error(tree, Message.FORWARD_RESULT, result.describe());
    }
    return new Trace(phase.recorder.graph(outputs), List.copyOf(phase.guards.values()));
  }

  /**
   * Collects the traced tensors {@code result} holds: itself, or the components of a record or
   * object (in declaration order), or the elements of a list or array; nulls are skipped (an
   * auxiliary output absent in eval). False when it holds something else: a constant, a parameter
   * read without computation, a native object.
   */
  private static boolean returnedNodes(Value result, List<Integer> outputs, int depth) {
    if (result instanceof Value.Symbolic s) {
      if (!outputs.contains(s.node())) {
        outputs.add(s.node());
      }
      return true;
    }
    if (depth > 8) {
      return false;
    }
    if (result instanceof Value.Known k && k.value() == null && depth > 0) {
      return true;
    }
    if (result instanceof ListValue list) {
      return list.elements().stream().allMatch(e -> returnedNodes(e, outputs, depth + 1));
    }
    if (result instanceof ArrayValue array) {
      return array.elements().stream().allMatch(e -> returnedNodes(e, outputs, depth + 1));
    }
    if (result instanceof ObjectValue object && object.enumName() == null) {
      for (VariableElement field : ElementFilter.fieldsIn(object.type().getEnclosedElements())) {
        if (field.getModifiers().contains(Modifier.STATIC)) {
          continue;
        }
        Value value = object.fields().get(field.getSimpleName().toString());
        if (value == null || !returnedNodes(value, outputs, depth + 1)) {
          return false;
        }
      }
      return true;
    }
    return false;
  }

  /** A concrete argument as a value: a known one, or an enum constant. */
  private static Value concrete(Object value, Frame frame) {
    if (value instanceof EnumConstant c) {
      return new Value.TypeRef(c.type()).select(c.name(), null, frame);
    }
    return new Value.Known(value);
  }

  @Override
  public boolean isTraining() {
    return training;
  }

  @Override
  public boolean tracesForward() {
    return true;
  }

  @Override
  public String advice() {
    return "make the module a leaf (@LeafModule), or use the constructs listed in docs/tracing.md";
  }

  // ------------------------------------------------------------------ reads

  @Override
  public Value read(Value value, Tree site, Frame frame) {
    if (value instanceof TensorRef ref) {
      return attribute(ref, site, frame);
    }
    if (value instanceof Opaque o) {
      TensorRef ref = frame.heap().registration(o);
      return ref == null ? value : attribute(ref, site, frame);
    }
    return value;
  }

  /** A parameter's {@code get_attr} node (one per parameter and trace), or a buffer's read. */
  private Value attribute(TensorRef ref, Tree site, Frame frame) {
    Value cached = attributes.get(ref);
    if (cached != null) {
      return cached;
    }
    String ownerPath = paths.get(ref.owner());
    if (ownerPath == null) {
      throw frame.error(
          site,
          Message.UNREGISTERED_MODULE,
          ref.owner().describe() + ", which holds " + ref.describe() + ",");
    }
    String qualified = ownerPath.isEmpty() ? ref.name() : ownerPath + "." + ref.name();
    TypeMirror tensor = frame.env().tensorType().asType();
    Value value =
        ref.isBuffer()
            ? new Opaque(tensor, new Arg.BufferRead(qualified), true)
            : symbolic(
                recorder.record(
                    frame.scope(),
                    qualified,
                    new Call.GetAttr(qualified, false),
                    written(tensor, frame)),
                tensor);
    attributes.put(ref, value);
    return value;
  }

  @Override
  public void observe(Instance owner, String field, Value value, Tree site, Frame frame) {
    String kind;
    String text;
    if (value instanceof Value.Known k) {
      Object v = k.value();
      kind =
          v == null
              ? "null"
              : v instanceof String ? "String" : frame.symbols().knownType(v).toString();
      text = v == null ? "" : String.valueOf(v);
    } else if (value instanceof ObjectValue o && o.enumName() != null) {
      kind = "enum";
      text = o.enumName();
    } else {
      return; // modules and objects: the module tree and the fields read inside them say it
    }
    List<String> steps = fieldPaths.find(owner);
    if (steps == null) {
      // Not reachable from the model: nothing to check an instance against. Fine for an object
      // forward made; one made before (held by a static field) may change between calls.
      if (owner instanceof ObjectValue o && !o.fresh() && !isFinal(o, field, frame)) {
        throw frame.error(
            site,
            Message.UNCHECKED_FIELD,
            field,
            o.describe(),
            value instanceof Value.Known ? value.describe() : "the constant " + text);
      }
      return;
    }
    List<String> path = new ArrayList<>(steps);
    path.add("." + field);
    guards.putIfAbsent(String.join("", path), new FieldGuard(path, kind, text));
  }

  private static boolean isFinal(Instance owner, String field, Frame frame) {
    VariableElement f = frame.symbols().field(owner.type(), field);
    return f != null && f.getModifiers().contains(Modifier.FINAL);
  }

  // ------------------------------------------------------------------ modules

  @Override
  public Value callModule(ModuleValue module, List<Value> args, Tree site, Frame frame) {
    String path = paths.get(module);
    if (path == null) {
      throw frame.error(
          site,
          Message.UNREGISTERED_MODULE,
          "\""
              + site.toString().replaceAll("\\.forward\\(.*", "")
              + "\" ("
              + module.simpleName()
              + ")");
    }
    switch (module.kind()) {
      case BUILTIN, JAVA_LEAF:
        return leafCall(module, path, args, site, frame);
      case SEQUENTIAL:
        if (args.size() != 1) {
          throw frame.unsupported(
              site, "SequentialImpl.forward with " + args.size() + " arguments");
        }
        Value value = args.get(0);
        for (ModuleValue child : module.sequence()) {
          value = callModule(child, List.of(value), site, frame);
        }
        return value;
      case JAVA:
        ExecutableElement forward =
            frame.invocations().sourceMethod(module.type(), "forward", args, frame);
        if (forward == null) {
          throw frame.unresolved(
              site, module.simpleName() + " has no forward taking these arguments");
        }
        return frame.invocations().inline(module, forward, args, path, site, frame);
      default:
        throw frame.unsupported(
            site, "forward on a " + module.simpleName() + ", which has no forward");
    }
  }

  private Value leafCall(
      ModuleValue module, String path, List<Value> args, Tree site, Frame frame) {
    ExecutableElement forward =
        frame.symbols().choose(frame.symbols().methods(module.type(), "forward"), args);
    if (forward == null) {
      throw frame.unresolved(site, module.simpleName() + " has no forward taking these arguments");
    }
    if (module.kind() == ModuleKind.JAVA_LEAF) {
      PackageElement pkg = Access.packageOf(root.type());
      if (!Access.fromPackage(module.type(), pkg) || !Access.fromPackage(forward, pkg)) {
        throw frame.error(
            site,
            Message.LEAF_NOT_ACCESSIBLE,
            module.type().getQualifiedName(),
            pkg.getQualifiedName());
      }
    }
    LeafAccess access = access(module, path, site, frame);
    Call.ModuleCall call =
        new Call.ModuleCall(path, TypeNames.of(module.type()), access, args(args, site, frame));
    TypeMirror type = forward.getReturnType();
    return symbolic(recorder.record(frame.scope(), path, call, written(type, frame)), type);
  }

  private LeafAccess access(ModuleValue module, String path, Tree site, Frame frame) {
    if (module.kind() == ModuleKind.BUILTIN) {
      String view = ModuleTypes.viewMethod(module.simpleName());
      if (!frame.symbols().methods(frame.env().moduleType(), view).isEmpty()) {
        return new LeafAccess.Native(view);
      }
    }
    List<String> steps = fieldPaths.find(module);
    if (steps == null) {
      throw frame.unsupported(
          site,
          "module \""
              + path
              + "\", which generated code cannot reach: keep it in a field of the model or of a"
              + " module");
    }
    return new LeafAccess.JavaFields(steps);
  }

  @Override
  public Value registerModule(ModuleValue parent, List<Value> args, Tree site, Frame frame) {
    throw frame.unsupported(site, "registering modules in forward");
  }

  @Override
  public Value registerTensor(
      ModuleValue owner, boolean buffer, List<Value> args, Tree site, Frame frame) {
    throw frame.unsupported(site, "registering parameters or buffers in forward");
  }

  @Override
  public Value pushBack(ModuleValue container, List<Value> args, Tree site, Frame frame) {
    throw frame.unsupported(site, "adding modules to a container in forward");
  }

  @Override
  public Value moduleMethod(
      ModuleValue module,
      String name,
      ExecutableElement method,
      List<Value> args,
      Tree site,
      Frame frame) {
    if (module.kind() == ModuleKind.BUILTIN
        && args.isEmpty()
        && method != null
        && frame.env().isTensor(method.getReturnType())) {
      // A built-in module's own parameter or buffer: conv.weight(), bn.running_mean().
      TensorRef ref = module.tensor(name);
      if (ref == null) {
        ref = module.registerTensor(name, BUILT_IN_BUFFERS.contains(name));
      }
      return attribute(ref, site, frame);
    }
    throw frame.unresolved(
        site,
        "only forward, is_training and the parameters of built-in modules are followed on modules"
            + " in forward");
  }

  // ------------------------------------------------------------------ traced values

  @Override
  public Value methodOnTraced(
      Value.Symbolic receiver, String method, List<Value> args, Tree site, Frame frame) {
    TypeElement type = Symbols.asTypeElement(receiver.type());
    if (type == null) {
      throw frame.unsupported(site, "a method call on a traced " + receiver.type());
    }
    ExecutableElement resolved =
        frame.symbols().choose(frame.symbols().methods(type, method), args);
    if (resolved == null) {
      throw frame.unresolved(
          site, "no method " + type.getSimpleName() + "." + method + " takes these arguments");
    }
    TypeMirror result = resolved.getReturnType();
    if (result.getKind() == TypeKind.VOID) {
      throw frame.unsupported(site, "a void method on a traced value (\"" + site + "\")");
    }
    Call call =
        new Call.MethodCall(new Arg.NodeRef(receiver.node()), method, args(args, site, frame));
    if (isIndexing(type, method, args)) {
      // torch.fx records x[i] on a traced tuple or list as operator.getitem: the same name here.
      return symbolic(
          recorder.record(
              frame.scope(),
              "getitem",
              call,
              written(result, frame),
              dev.featurex.graph.GraphNode.Op.CALL_FUNCTION),
          result);
    }
    return symbolic(recorder.record(frame.scope(), method, call, written(result, frame)), result);
  }

  /**
   * Whether {@code method} picks an element of a native vector or tuple: {@code
   * TensorVector.get(i)}, a tuple's {@code get0()}. torch.fx's {@code getitem}.
   */
  private static boolean isIndexing(TypeElement type, String method, List<Value> args) {
    String name = type.getQualifiedName().toString();
    if (!name.startsWith("org.bytedeco.pytorch.")) {
      return false;
    }
    String simple = type.getSimpleName().toString();
    boolean vector = simple.endsWith("Vector") || simple.endsWith("List");
    boolean tuple = simple.startsWith("T_") && simple.endsWith("_T");
    return (vector && method.equals("get") && args.size() == 1)
        || (tuple && method.matches("get[0-9]+") && args.isEmpty());
  }

  @Override
  public Value function(
      TypeElement owner, ExecutableElement method, List<Value> args, Tree site, Frame frame) {
    TypeMirror result = method.getReturnType();
    if (result.getKind() == TypeKind.VOID) {
      throw frame.unsupported(site, "a void function on traced values (\"" + site + "\")");
    }
    String name = method.getSimpleName().toString();
    Call call = new Call.FunctionCall(TypeNames.of(owner), name, args(args, site, frame));
    return symbolic(recorder.record(frame.scope(), name, call, written(result, frame)), result);
  }

  @Override
  public Value operator(Operator operator, List<Value> operands, Tree site, Frame frame) {
    boolean floating =
        operands.stream().anyMatch(v -> Operators.isFloating(v.staticType(frame.symbols())));
    String name = operator.fxName(floating);
    if (name == null) {
      throw frame.unsupported(site, "the operator " + operator.symbol() + " on traced values");
    }
    TypeMirror left = operands.get(0).staticType(frame.symbols());
    TypeMirror right = operands.size() > 1 ? operands.get(1).staticType(frame.symbols()) : null;
    TypeMirror type = Operators.resultType(operator, left, right, frame.types());
    Call call = new Call.OperatorCall(operator, args(operands, site, frame));
    return symbolic(recorder.record(frame.scope(), name, call, written(type, frame)), type);
  }

  @Override
  public Value guard(Value condition, Arg.NewObject exception, Tree site, Frame frame) {
    TypeMirror type = frame.types().getPrimitiveType(TypeKind.BOOLEAN);
    Call call = new Call.Guard(condition.toArg(site, frame), exception);
    return symbolic(
        recorder.record(frame.scope(), GraphNode.GUARD, call, written(type, frame)), type);
  }

  private static List<Arg> args(List<Value> values, Tree site, Frame frame) {
    List<Arg> out = new ArrayList<>(values.size());
    for (Value v : values) {
      out.add(v.toArg(site, frame));
    }
    return out;
  }

  private static Value symbolic(int node, TypeMirror type) {
    return new Value.Symbolic(node, type);
  }

  private static String written(TypeMirror type, Frame frame) {
    return frame.typeTrees().written(type);
  }
}
