package dev.featurex.processor.trace;

import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.Tree;
import dev.featurex.graph.ModuleTypes;
import dev.featurex.processor.Message;
import dev.featurex.processor.structure.ModuleInstance;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;

/**
 * What calls mean when they leave the model's source: module API and {@code forward}, methods of
 * traced values, {@code torch.*} functions, library objects and JDK helpers on known values.
 */
final class Calls {

  private final Invoker inv;
  private final Interpreter interp;

  Calls(Invoker inv) {
    this.inv = inv;
    this.interp = inv.interpreter;
  }

  TraceException unresolved(Tree tree, Frame frame, String why) {
    return interp.error(tree, frame, Message.UNRESOLVED_CALL, "\"" + tree + "\"", why);
  }

  // ---------------------------------------------------------------- modules

  /** {@code module.forward(args)} while tracing: a node for a leaf, inlined otherwise. */
  Value forward(Value.ObjectValue self, List<Value> args, Tree tree, Frame frame) {
    ModuleInstance module = self.module;
    String path = inv.moduleTree.pathOf(module);
    if (path == null) {
      throw interp.error(
          tree,
          frame,
          Message.UNREGISTERED_MODULE,
          "\""
              + tree.toString().replaceAll("\\.forward\\(.*", "")
              + "\" ("
              + self.type.getSimpleName()
              + ")");
    }
    switch (module.kind()) {
      case BUILTIN, JAVA_LEAF -> {
        ExecutableElement method =
            inv.symbols.choose(inv.symbols.methods(self.type, "forward"), args);
        if (method == null) {
          throw unresolved(
              tree, frame, self.type.getSimpleName() + " has no forward taking these arguments");
        }
        String as = module.kind() == ModuleInstance.Kind.BUILTIN ? asMethod(self.type) : null;
        List<String> fieldPath = as == null ? FieldPaths.find(inv.root, self) : List.of();
        if (as == null && fieldPath == null) {
          throw interp.error(
              tree,
              frame,
              Message.UNSUPPORTED,
              "module \""
                  + path
                  + "\", which generated code cannot reach: keep it in a field of the model or of a module");
        }
        TracedNode.ModuleCall call =
            new TracedNode.ModuleCall(
                path, TypeNames.of(self.type), as, fieldPath, args(args, tree, frame));
        TypeMirror type = method.getReturnType();
        return new Value.Symbolic(inv.tracer.moduleCall(call, typeName(type)), type);
      }
      case SEQUENTIAL -> {
        if (args.size() != 1) {
          throw interp.error(
              tree,
              frame,
              Message.UNSUPPORTED,
              "SequentialImpl.forward with " + args.size() + " arguments");
        }
        Value value = args.get(0);
        for (ModuleInstance child : module.children().values()) {
          value = forward(inv.objects.get(child), List.of(value), tree, frame);
        }
        return value;
      }
      case JAVA -> {
        ExecutableElement method =
            inv.symbols.choose(inv.symbols.methods(self.type, "forward"), args);
        if (method == null || !inv.hasBody(method)) {
          throw unresolved(
              tree, frame, self.type.getSimpleName() + " has no forward taking these arguments");
        }
        return inv.inline(self, method, args, path, tree, frame);
      }
      default ->
          throw interp.error(
              tree,
              frame,
              Message.UNSUPPORTED,
              "forward on a " + self.type.getSimpleName() + ", which has no forward");
    }
  }

  /** The {@code Module.asX()} cast for a built-in module class, or null when there is none. */
  String asMethod(TypeElement type) {
    String view = ModuleTypes.viewMethod(type.getSimpleName().toString());
    return inv.symbols.methods(inv.moduleType, view).isEmpty() ? null : view;
  }

  /** Methods of {@code Module} and the containers: registration, mode, container access. */
  Value moduleApi(
      Value.ObjectValue self,
      ExecutableElement method,
      String name,
      List<Value> args,
      MethodInvocationTree tree,
      Frame frame) {
    ModuleInstance module = self.module;
    switch (name) {
      case "register_module" -> {
        if (inv.tracer != null) {
          throw interp.error(tree, frame, Message.UNSUPPORTED, "registering modules in forward");
        }
        if (args.size() != 2
            || !(args.get(0) instanceof Value.Known k && k.value() instanceof String childName)
            || !(args.get(1) instanceof Value.ObjectValue child && child.module != null)) {
          throw interp.error(
              tree,
              frame,
              Message.UNKNOWN_VALUE,
              "\"" + tree + "\"",
              "register_module needs a known name and a module");
        }
        try {
          module.register(childName, child.module);
        } catch (IllegalArgumentException e) {
          throw interp.error(tree, frame, Message.MODULE_REGISTRATION, e.getMessage());
        }
        return child;
      }
      case "push_back" -> {
        if (inv.tracer == null
            && (module.kind() == ModuleInstance.Kind.SEQUENTIAL
                || module.kind() == ModuleInstance.Kind.MODULE_LIST)
            && args.size() == 1
            && args.get(0) instanceof Value.ObjectValue child
            && child.module != null) {
          module.pushBack(child.module);
          return Value.Known.NULL;
        }
      }
      case "is_training" -> {
        return new Value.Known(inv.tracer == null || inv.tracer.training());
      }
      case "size" -> {
        return new Value.Known((long) module.children().size());
      }
      case "is_empty" -> {
        return new Value.Known(module.children().isEmpty());
      }
      case "get", "ptr" -> {
        if (args.size() == 1
            && args.get(0) instanceof Value.Known k
            && k.value() instanceof Number n) {
          ModuleInstance child = module.children().get(String.valueOf(n.longValue()));
          if (child != null) {
            return inv.objects.get(child);
          }
        }
      }
      default -> {
        if (name.startsWith("as") && method != null && args.isEmpty()) {
          return name.equals(asMethod(self.type)) ? self : Value.Known.NULL;
        }
        if (inv.tracer == null && method != null) {
          return new Value.Opaque(method.getReturnType(), null);
        }
      }
    }
    throw unresolved(
        tree,
        frame,
        inv.tracer != null
            ? "only forward and is_training are followed on modules in forward"
            : "not a module method the tracer knows");
  }

  // ---------------------------------------------------------------- traced values

  Value onSymbolic(
      Value.Symbolic s, String name, List<Value> args, MethodInvocationTree tree, Frame frame) {
    TypeElement type = Symbols.asTypeElement(s.type());
    if (type == null) {
      throw interp.error(tree, frame, Message.UNSUPPORTED, "a method call on a traced " + s.type());
    }
    ExecutableElement method = inv.symbols.choose(inv.symbols.methods(type, name), args);
    if (method == null) {
      throw unresolved(
          tree, frame, "no method " + type.getSimpleName() + "." + name + " takes these arguments");
    }
    TypeMirror result = method.getReturnType();
    if (result.getKind() == TypeKind.VOID) {
      throw interp.error(
          tree, frame, Message.UNSUPPORTED, "a void method on a traced value (\"" + tree + "\")");
    }
    TracedNode.MethodCall call =
        new TracedNode.MethodCall(new Arg.NodeRef(s.node()), name, args(args, tree, frame));
    return new Value.Symbolic(inv.tracer.methodCall(frame.scope, call, typeName(result)), result);
  }

  Value operator(Tree.Kind kind, Value left, Value right, Tree tree, Frame frame) {
    if (inv.tracer == null) {
      throw interp.error(tree, frame, Message.UNSUPPORTED, Describe.of(tree));
    }
    String[] names = operatorNames(kind, left, right);
    if (names == null) {
      throw interp.error(
          tree, frame, Message.UNSUPPORTED, "the operator in \"" + tree + "\" on traced values");
    }
    TypeMirror type = resultType(kind, left, right);
    TracedNode.Operator call =
        new TracedNode.Operator(
            names[1], toArg(left, tree, frame), right == null ? null : toArg(right, tree, frame));
    return new Value.Symbolic(
        inv.tracer.operator(frame.scope, names[0], call, typeName(type)), type);
  }

  /** torch.fx's name for the operator ({@code operator.add} is "add") and Java's symbol. */
  private String[] operatorNames(Tree.Kind kind, Value left, Value right) {
    boolean floating = isFloating(left) || (right != null && isFloating(right));
    return switch (kind) {
      case PLUS -> new String[] {"add", "+"};
      case MINUS -> new String[] {"sub", "-"};
      case MULTIPLY -> new String[] {"mul", "*"};
      case DIVIDE -> new String[] {floating ? "truediv" : "floordiv", "/"};
      case REMAINDER -> new String[] {"mod", "%"};
      case LESS_THAN -> new String[] {"lt", "<"};
      case LESS_THAN_EQUAL -> new String[] {"le", "<="};
      case GREATER_THAN -> new String[] {"gt", ">"};
      case GREATER_THAN_EQUAL -> new String[] {"ge", ">="};
      case EQUAL_TO -> new String[] {"eq", "=="};
      case NOT_EQUAL_TO -> new String[] {"ne", "!="};
      case UNARY_MINUS -> new String[] {"neg", "-"};
      case LOGICAL_COMPLEMENT -> new String[] {"not_", "!"};
      default -> null;
    };
  }

  private boolean isFloating(Value v) {
    TypeMirror t = inv.symbols.typeOf(v);
    return t != null && (t.getKind() == TypeKind.DOUBLE || t.getKind() == TypeKind.FLOAT);
  }

  private TypeMirror resultType(Tree.Kind kind, Value left, Value right) {
    switch (kind) {
      case LESS_THAN,
      LESS_THAN_EQUAL,
      GREATER_THAN,
      GREATER_THAN_EQUAL,
      EQUAL_TO,
      NOT_EQUAL_TO,
      LOGICAL_COMPLEMENT:
        return inv.symbols.types.getPrimitiveType(TypeKind.BOOLEAN);
      default:
        break;
    }
    TypeKind k = TypeKind.INT;
    for (Value v : new Value[] {left, right}) {
      TypeMirror t = v == null ? null : inv.symbols.typeOf(v);
      if (t == null || !t.getKind().isPrimitive()) {
        continue;
      }
      if (t.getKind() == TypeKind.DOUBLE
          || (t.getKind() == TypeKind.FLOAT && k != TypeKind.DOUBLE)
          || (t.getKind() == TypeKind.LONG && k == TypeKind.INT)) {
        k = t.getKind();
      }
    }
    return inv.symbols.types.getPrimitiveType(k);
  }

  // ---------------------------------------------------------------- arguments

  static boolean anySymbolic(List<Value> args) {
    for (Value v : args) {
      if (v instanceof Value.Symbolic) {
        return true;
      }
      if (v instanceof Value.ArrayValue a && anySymbolic(List.of(a.elements))) {
        return true;
      }
      if (v instanceof Value.Opaque o && o.recipe() != null) {
        List<Integer> nodes = new ArrayList<>();
        o.recipe().collectNodes(nodes);
        if (!nodes.isEmpty()) {
          return true;
        }
      }
    }
    return false;
  }

  List<Arg> args(List<Value> values, Tree tree, Frame frame) {
    List<Arg> out = new ArrayList<>(values.size());
    for (Value v : values) {
      out.add(toArg(v, tree, frame));
    }
    return out;
  }

  /** How generated code writes {@code v} as an argument. */
  Arg toArg(Value v, Tree tree, Frame frame) {
    Arg arg = argOrNull(v);
    if (arg == null) {
      throw interp.error(
          tree,
          frame,
          Message.UNSUPPORTED,
          "passing "
              + Describe.of(v)
              + " to a traced call (generated code can re-create known values, arrays of them and native objects built from them)");
    }
    return arg;
  }

  private Arg argOrNull(Value v) {
    if (v instanceof Value.Known k) {
      return new Arg.Literal(k.value());
    } else if (v instanceof Value.Symbolic s) {
      return new Arg.NodeRef(s.node());
    } else if (v instanceof Value.Opaque o) {
      return o.recipe();
    } else if (v instanceof Value.ArrayValue a) {
      List<Arg> elements = new ArrayList<>();
      for (Value e : a.elements) {
        Arg x = argOrNull(e);
        if (x == null) {
          return null;
        }
        elements.add(x);
      }
      return new Arg.NewArray(typeName(a.componentType), elements);
    }
    return null;
  }

  Arg recipe(List<Value> args, java.util.function.Function<List<Arg>, Arg> make) {
    List<Arg> list = new ArrayList<>();
    for (Value v : args) {
      Arg a = argOrNull(v);
      if (a == null) {
        return null;
      }
      list.add(a);
    }
    return make.apply(list);
  }

  String typeName(TypeMirror type) {
    return TypeNames.of(type, inv.symbols.types);
  }
}
