package dev.featurex.processor.trace;

import com.sun.source.tree.*;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import dev.featurex.processor.Message;
import dev.featurex.processor.structure.ModuleInstance;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Calls, object creation, fields and operators: where Java code meets modules and traced values.
 * Calls whose source is in the compilation are inlined; module calls, {@code Tensor} methods and
 * {@code torch.*} functions on traced values become nodes (through the {@link NodePathTracer},
 * which is null while constructors run).
 */
final class Invoker {

  final Trees trees;
  final Symbols symbols;
  final LeafModuleAwareTracer leaves;
  final Interpreter interpreter;
  final Arithmetic arithmetic;
  final Calls calls;
  final LibraryCalls library;
  final Fields fields;
  final TypeElement moduleType;
  NodePathTracer tracer;
  dev.featurex.processor.structure.ModuleTree moduleTree;
  Value.ObjectValue root;
  final Map<ModuleInstance, Value.ObjectValue> objects = new IdentityHashMap<>();
  private int depth;
  private final Map<javax.lang.model.element.Element, CompilationUnitTree> units =
      new java.util.HashMap<>();
  private final Map<ExecutableElement, java.util.Optional<MethodTree>> methodTrees =
      new java.util.HashMap<>();

  Invoker(Trees trees, Symbols symbols, LeafModuleAwareTracer leaves) {
    this.trees = trees;
    this.symbols = symbols;
    this.leaves = leaves;
    this.moduleType = symbols.type("org.bytedeco.pytorch.Module");
    this.interpreter = new Interpreter(symbols, this);
    this.arithmetic = new Arithmetic(interpreter);
    this.calls = new Calls(this);
    this.library = new LibraryCalls(this, calls);
    this.fields = new Fields(this);
  }

  // ---------------------------------------------------------------- methods

  Value invoke(MethodInvocationTree tree, Frame frame) {
    ExpressionTree select = tree.getMethodSelect();
    if (select instanceof IdentifierTree id) {
      String name = id.getName().toString();
      if (name.equals("super") || name.equals("this")) {
        return Value.Known.NULL; // constructor chaining is handled by runConstructor
      }
      return unqualified(name, arguments(tree, frame), tree, frame);
    }
    MemberSelectTree member = (MemberSelectTree) select;
    String name = member.getIdentifier().toString();
    if (member.getExpression() instanceof IdentifierTree sid
        && sid.getName().contentEquals("super")) {
      TypeElement superType = Symbols.asTypeElement(frame.clazz.getSuperclass());
      return instanceCall(frame.self, superType, name, arguments(tree, frame), tree, frame);
    }
    // Java's order: the receiver, then the arguments from left to right (node order follows it).
    Value receiver = interpreter.evaluate(member.getExpression(), frame);
    return call(receiver, name, arguments(tree, frame), tree, frame);
  }

  private List<Value> arguments(MethodInvocationTree tree, Frame frame) {
    List<Value> args = new ArrayList<>();
    for (ExpressionTree a : tree.getArguments()) {
      args.add(interpreter.evaluate(a, frame));
    }
    return args;
  }

  private Value unqualified(String name, List<Value> args, MethodInvocationTree tree, Frame frame) {
    for (javax.lang.model.element.Element e = frame.clazz; e != null; e = e.getEnclosingElement()) {
      if (e instanceof TypeElement type && !symbols.methods(type, name).isEmpty()) {
        ExecutableElement method = symbols.choose(symbols.methods(type, name), args);
        if (method != null && Symbols.isStatic(method)) {
          return staticCall(type, method, name, args, tree, frame);
        }
        if (method != null && type == frame.clazz) {
          return instanceCall(
              frame.self, frame.self == null ? type : frame.self.type, name, args, tree, frame);
        }
      }
    }
    for (TypeElement owner : symbols.staticImportOwners(name, frame.unit)) {
      if (!symbols.methods(owner, name).isEmpty()) {
        return call(new Value.TypeRef(owner), name, args, tree, frame);
      }
    }
    throw interpreter.error(
        tree,
        frame,
        Message.UNRESOLVED_CALL,
        "\"" + tree + "\"",
        "no method " + name + " with these arguments");
  }

  Value call(
      Value receiver, String name, List<Value> args, MethodInvocationTree tree, Frame frame) {
    if (receiver instanceof Value.TypeRef ref) {
      ExecutableElement method = symbols.choose(symbols.methods(ref.type(), name), args);
      return staticCall(ref.type(), method, name, args, tree, frame);
    }
    if (receiver instanceof Value.ObjectValue object) {
      return instanceCall(object, object.type, name, args, tree, frame);
    }
    if (receiver instanceof Value.Symbolic symbolic) {
      return calls.onSymbolic(symbolic, name, args, tree, frame);
    }
    if (receiver instanceof Value.ListValue list) {
      return library.onList(list, name, args, tree, frame);
    }
    if (receiver instanceof Value.ArrayValue array && name.equals("clone")) {
      return new Value.ArrayValue(array.componentType, array.elements.clone());
    }
    if (receiver instanceof Value.Known known && known.value() != null) {
      return library.reflect(known.value().getClass(), known.value(), name, args, tree, frame);
    }
    if (receiver instanceof Value.Opaque opaque) {
      return library.onOpaque(opaque, name, args, tree, frame);
    }
    throw interpreter.error(
        tree,
        frame,
        Message.UNRESOLVED_CALL,
        "\"" + tree + "\"",
        "the receiver is " + Describe.of(receiver));
  }

  private Value staticCall(
      TypeElement owner,
      ExecutableElement method,
      String name,
      List<Value> args,
      MethodInvocationTree tree,
      Frame frame) {
    if (method != null && hasBody(method)) {
      return inline(null, method, args, frame.scope, tree, frame);
    }
    return library.libraryStatic(owner, method, name, args, tree, frame);
  }

  /** A call on an object: user code is inlined; module API calls get their meaning here. */
  Value instanceCall(
      Value.ObjectValue self,
      TypeElement lookup,
      String name,
      List<Value> args,
      MethodInvocationTree tree,
      Frame frame) {
    if (self == null) {
      throw interpreter.error(
          tree, frame, Message.UNRESOLVED_CALL, "\"" + tree + "\"", "no object to call it on");
    }
    ModuleInstance module = self.module;
    if (module != null && tracer != null && name.equals("forward")) {
      return calls.forward(self, args, tree, frame);
    }
    ExecutableElement method = symbols.choose(symbols.methods(lookup, name), args);
    if (method != null
        && hasBody(method)
        && (module == null || module.kind() == ModuleInstance.Kind.JAVA || tracer == null)) {
      return inline(self, method, args, frame.scope, tree, frame);
    }
    if (module != null) {
      return calls.moduleApi(self, method, name, args, tree, frame);
    }
    throw interpreter.error(
        tree,
        frame,
        Message.UNRESOLVED_CALL,
        "\"" + tree + "\"",
        "no method " + name + " with these arguments in " + self.type.getSimpleName());
  }

  boolean hasBody(ExecutableElement method) {
    MethodTree tree = methodTree(method);
    return tree != null && tree.getBody() != null;
  }

  /**
   * Runs {@code method}'s body with {@code self} and {@code args}; ops are named under {@code
   * scope}.
   */
  Value inline(
      Value.ObjectValue self,
      ExecutableElement method,
      List<Value> args,
      String scope,
      Tree at,
      Frame caller) {
    if (++depth > Interpreter.MAX_DEPTH) {
      throw interpreter.error(at, caller, Message.DEPTH_LIMIT, Interpreter.MAX_DEPTH);
    }
    try {
      MethodTree tree = methodTree(method);
      Frame frame = new Frame(self, Symbols.owner(method), unitOf(method), scope);
      bind(method, tree, args, frame);
      try {
        interpreter.execute(tree.getBody(), frame);
      } catch (Frame.Jump jump) {
        if (jump.kind == Frame.Jump.Kind.RETURN) {
          return interpreter.types.coerce(jump.value, method.getReturnType());
        }
        throw jump;
      }
      return Value.Known.NULL;
    } finally {
      depth--;
    }
  }

  private void bind(ExecutableElement method, MethodTree tree, List<Value> args, Frame frame) {
    List<? extends VariableElement> params = method.getParameters();
    for (int i = 0; i < params.size(); i++) {
      TypeMirror type = params.get(i).asType();
      Value value;
      if (method.isVarArgs()
          && i == params.size() - 1
          && !(args.size() == params.size() && args.get(i) instanceof Value.ArrayValue)) {
        List<Value> rest = args.subList(Math.min(i, args.size()), args.size());
        TypeMirror component = ((javax.lang.model.type.ArrayType) type).getComponentType();
        value =
            new Value.ArrayValue(
                component,
                rest.stream()
                    .map(v -> interpreter.types.coerce(v, component))
                    .toArray(Value[]::new));
      } else {
        value = interpreter.types.coerce(args.get(i), type);
      }
      frame.locals.put(tree.getParameters().get(i).getName().toString(), value);
    }
  }

  /**
   * The file of {@code element}; cached per top-level class (javac finds paths by scanning the
   * file).
   */
  CompilationUnitTree unitOf(javax.lang.model.element.Element element) {
    javax.lang.model.element.Element top = element;
    while (top.getEnclosingElement() != null
        && top.getEnclosingElement().getKind() != javax.lang.model.element.ElementKind.PACKAGE) {
      top = top.getEnclosingElement();
    }
    return units.computeIfAbsent(
        top,
        t -> {
          TreePath path = trees.getPath(t);
          return path == null ? null : path.getCompilationUnit();
        });
  }

  /**
   * The tree of a method with source, or null; cached (javac looks it up by scanning the class).
   */
  MethodTree methodTree(ExecutableElement method) {
    return methodTrees
        .computeIfAbsent(method, m -> java.util.Optional.ofNullable(trees.getTree(m)))
        .orElse(null);
  }

  // ---------------------------------------------------------------- objects

  Value create(NewClassTree tree, Frame frame) {
    if (tree.getClassBody() != null) {
      throw interpreter.error(tree, frame, Message.UNSUPPORTED, "anonymous classes");
    }
    TypeMirror typeMirror = interpreter.types.typeOf(tree.getIdentifier(), frame);
    TypeElement type = typeMirror == null ? null : Symbols.asTypeElement(typeMirror);
    if (type == null) {
      throw interpreter.error(
          tree, frame, Message.UNRESOLVED_CALL, "\"" + tree + "\"", "the class is not known");
    }
    List<Value> args = new ArrayList<>();
    for (ExpressionTree a : tree.getArguments()) {
      args.add(interpreter.evaluate(a, frame));
    }
    return instantiate(type, args, tree, frame);
  }

  Value instantiate(TypeElement type, List<Value> args, Tree tree, Frame frame) {
    boolean isModule = moduleType != null && symbols.isSubtype(type.asType(), moduleType);
    if (trees.getTree(type) != null) {
      ModuleInstance module = isModule ? new ModuleInstance(type, leaves.kindOf(type)) : null;
      Value.ObjectValue object = new Value.ObjectValue(type, module);
      if (module != null) {
        objects.put(module, object);
      }
      ExecutableElement ctor = symbols.choose(symbols.constructors(type), args);
      if (ctor == null) {
        throw interpreter.error(
            tree,
            frame,
            Message.UNRESOLVED_CALL,
            "\"" + tree + "\"",
            "no constructor of " + type.getSimpleName() + " takes these arguments");
      }
      runConstructor(object, type, ctor, args, tree, frame);
      return object;
    }
    if (isModule) {
      ModuleInstance module = new ModuleInstance(type, leaves.kindOf(type));
      Value.ObjectValue object = new Value.ObjectValue(type, module);
      objects.put(module, object);
      return object;
    }
    return library.libraryObject(type, args, tree, frame);
  }

  private void runConstructor(
      Value.ObjectValue self,
      TypeElement type,
      ExecutableElement ctor,
      List<Value> args,
      Tree at,
      Frame caller) {
    if (++depth > Interpreter.MAX_DEPTH) {
      throw interpreter.error(at, caller, Message.DEPTH_LIMIT, Interpreter.MAX_DEPTH);
    }
    try {
      MethodTree tree = methodTree(ctor);
      Frame frame = new Frame(self, type, unitOf(type), caller.scope);
      bind(ctor, tree, args, frame);
      List<? extends StatementTree> body = tree.getBody().getStatements();
      int start = 0;
      boolean delegates = false;
      if (!body.isEmpty()
          && body.get(0) instanceof ExpressionStatementTree es
          && es.getExpression() instanceof MethodInvocationTree first
          && first.getMethodSelect() instanceof IdentifierTree id
          && (id.getName().contentEquals("super") || id.getName().contentEquals("this"))) {
        start = 1;
        List<Value> chained = new ArrayList<>();
        for (ExpressionTree a : first.getArguments()) {
          chained.add(interpreter.evaluate(a, frame));
        }
        if (id.getName().contentEquals("this")) {
          delegates = true;
          runConstructor(
              self,
              type,
              symbols.choose(symbols.constructors(type), chained),
              chained,
              first,
              frame);
        } else {
          superConstructor(self, type, chained, first, frame);
        }
      } else {
        superConstructor(self, type, List.of(), tree, frame);
      }
      if (!delegates) {
        runInitializers(self, type, frame);
      }
      for (StatementTree s : body.subList(start, body.size())) {
        interpreter.execute(s, frame);
      }
    } catch (Frame.Jump jump) {
      if (jump.kind != Frame.Jump.Kind.RETURN) {
        throw jump;
      }
    } finally {
      depth--;
    }
  }

  private void superConstructor(
      Value.ObjectValue self, TypeElement type, List<Value> args, Tree at, Frame frame) {
    TypeElement parent = Symbols.asTypeElement(type.getSuperclass());
    if (parent != null && trees.getTree(parent) != null) {
      ExecutableElement ctor = symbols.choose(symbols.constructors(parent), args);
      if (ctor != null) {
        runConstructor(self, parent, ctor, args, at, frame);
      }
    }
  }

  private void runInitializers(Value.ObjectValue self, TypeElement type, Frame frame) {
    ClassTree classTree = trees.getTree(type);
    for (Tree member : classTree.getMembers()) {
      if (member instanceof VariableTree v
          && !v.getModifiers().getFlags().contains(javax.lang.model.element.Modifier.STATIC)) {
        if (v.getInitializer() != null) {
          VariableElement f = symbols.field(type, v.getName().toString());
          Value value =
              v.getInitializer() instanceof NewArrayTree array && array.getType() == null
                  ? interpreter.arrayInitializer(array, f == null ? null : f.asType(), frame)
                  : interpreter.evaluate(v.getInitializer(), frame);
          self.fields.put(
              v.getName().toString(),
              interpreter.types.coerce(value, f == null ? null : f.asType()));
        }
      } else if (member instanceof BlockTree b && !b.isStatic()) {
        interpreter.execute(b, frame);
      }
    }
  }

  // ---------------------------------------------------------------- operators

  Value binary(BinaryTree tree, Value left, Value right, Frame frame) {
    if (left instanceof Value.Known a
        && right instanceof Value.Known b
        && !(a.value() == null
            && b.value() == null
            && tree.getKind() != Tree.Kind.EQUAL_TO
            && tree.getKind() != Tree.Kind.NOT_EQUAL_TO)) {
      return arithmetic.binary(tree.getKind(), a.value(), b.value(), tree, frame);
    }
    if (tree.getKind() == Tree.Kind.EQUAL_TO || tree.getKind() == Tree.Kind.NOT_EQUAL_TO) {
      if (!(left instanceof Value.Symbolic && right instanceof Value.Known k && k.value() != null)
          && !(right instanceof Value.Symbolic
              && left instanceof Value.Known k2
              && k2.value() != null)
          && !(left instanceof Value.Symbolic && right instanceof Value.Symbolic)) {
        boolean same = left == right || left.equals(right);
        return new Value.Known(tree.getKind() == Tree.Kind.EQUAL_TO == same);
      }
    }
    if (left instanceof Value.Symbolic || right instanceof Value.Symbolic) {
      return calls.operator(tree.getKind(), left, right, tree, frame);
    }
    throw interpreter.error(
        tree,
        frame,
        Message.UNKNOWN_VALUE,
        "\"" + tree + "\"",
        Describe.of(left) + " and " + Describe.of(right));
  }

  Value unary(UnaryTree tree, Value operand, Frame frame) {
    if (operand instanceof Value.Known k) {
      return arithmetic.unary(tree.getKind(), k.value(), tree, frame);
    }
    if (operand instanceof Value.Symbolic) {
      return calls.operator(tree.getKind(), operand, null, tree, frame);
    }
    throw interpreter.error(
        tree, frame, Message.UNKNOWN_VALUE, "\"" + tree + "\"", Describe.of(operand));
  }

  Value compound(CompoundAssignmentTree tree, Value left, Value right, Frame frame) {
    Tree.Kind kind =
        switch (tree.getKind()) {
          case PLUS_ASSIGNMENT -> Tree.Kind.PLUS;
          case MINUS_ASSIGNMENT -> Tree.Kind.MINUS;
          case MULTIPLY_ASSIGNMENT -> Tree.Kind.MULTIPLY;
          case DIVIDE_ASSIGNMENT -> Tree.Kind.DIVIDE;
          case REMAINDER_ASSIGNMENT -> Tree.Kind.REMAINDER;
          case AND_ASSIGNMENT -> Tree.Kind.AND;
          case OR_ASSIGNMENT -> Tree.Kind.OR;
          case XOR_ASSIGNMENT -> Tree.Kind.XOR;
          case LEFT_SHIFT_ASSIGNMENT -> Tree.Kind.LEFT_SHIFT;
          case RIGHT_SHIFT_ASSIGNMENT -> Tree.Kind.RIGHT_SHIFT;
          default -> Tree.Kind.UNSIGNED_RIGHT_SHIFT;
        };
    if (left instanceof Value.Known a && right instanceof Value.Known b) {
      return arithmetic.binary(kind, a.value(), b.value(), tree, frame);
    }
    if (left instanceof Value.Symbolic || right instanceof Value.Symbolic) {
      return calls.operator(kind, left, right, tree, frame);
    }
    throw interpreter.error(
        tree, frame, Message.UNKNOWN_VALUE, "\"" + tree + "\"", Describe.of(left));
  }
}
