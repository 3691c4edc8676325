package dev.featurex.processor.trace;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.ModuleKind;
import dev.featurex.processor.model.TypeNames;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeMirror;

/**
 * Calls and object creation: which code a call runs, and running it. Code whose source is in the
 * compilation is inlined (methods, constructors, initialisers); calls that leave it go to the value
 * they are made on, to the phase (modules, traced values) or to {@link JdkCalls}. Stateless.
 */
final class Invocations {

  static final Invocations INSTANCE = new Invocations();

  private Invocations() {}

  // ------------------------------------------------------------------ calls

  /** A method invocation as written. */
  Value invoke(MethodInvocationTree tree, Frame frame) {
    ExpressionTree select = tree.getMethodSelect();
    if (select instanceof IdentifierTree id) {
      String name = id.getName().toString();
      if (name.equals("super") || name.equals("this")) {
        // Constructor chaining runs in runConstructor, before the rest of the body.
        return Value.Known.NULL;
      }
      return unqualified(name, arguments(tree, frame), tree, frame);
    }
    MemberSelectTree member = (MemberSelectTree) select;
    String name = member.getIdentifier().toString();
    if (member.getExpression() instanceof IdentifierTree sid
        && sid.getName().contentEquals("super")) {
      return superCall(name, arguments(tree, frame), tree, frame);
    }
    // Java's order: the receiver, then the arguments from left to right (node order follows it).
    Value receiver = frame.evaluate(member.getExpression());
    return receiver.invoke(name, arguments(tree, frame), tree, frame);
  }

  private List<Value> arguments(MethodInvocationTree tree, Frame frame) {
    List<Value> args = new ArrayList<>(tree.getArguments().size());
    for (ExpressionTree a : tree.getArguments()) {
      args.add(frame.evaluate(a));
    }
    return args;
  }

  /** {@code name(args)}: a method of this class or an enclosing one, or a static import. */
  private Value unqualified(String name, List<Value> args, Tree site, Frame frame) {
    Symbols symbols = frame.symbols();
    for (Element e = frame.clazz(); e != null; e = e.getEnclosingElement()) {
      if (!(e instanceof TypeElement type) || symbols.methods(type, name).isEmpty()) {
        continue;
      }
      ExecutableElement method = symbols.choose(symbols.methods(type, name), args);
      if (method != null && Symbols.isStatic(method)) {
        return callStatic(type, name, args, site, frame);
      }
      if (method != null && type == frame.clazz()) {
        if (frame.self() == null) {
          throw frame.unresolved(site, "an instance method called without an instance");
        }
        return frame.self().invoke(name, args, site, frame);
      }
      if (method != null) {
        throw Expressions.enclosingInstance(type, site, frame); // a method of the outer object
      }
    }
    for (TypeElement owner : symbols.staticImportOwners(name, frame.unit())) {
      if (!symbols.methods(owner, name).isEmpty()) {
        return callStatic(owner, name, args, site, frame);
      }
    }
    throw frame.unresolved(site, "no method " + name + " with these arguments");
  }

  /** {@code super.name(args)}: the superclass's method, run on {@code this}. */
  private Value superCall(String name, List<Value> args, Tree site, Frame frame) {
    TypeElement parent = Symbols.asTypeElement(frame.clazz().getSuperclass());
    if (parent == null || frame.self() == null) {
      throw frame.unresolved(site, "no superclass method to call");
    }
    ExecutableElement method = sourceMethod(parent, name, args, frame);
    if (method != null) {
      return inline(frame.self(), method, args, frame.scope(), site, frame);
    }
    // A method of Module itself (super.forward on a built-in base, super.is_training()...).
    return frame.self().invoke(name, args, site, frame);
  }

  /** A static method of {@code owner}: inlined with source, else a library call. */
  Value callStatic(TypeElement owner, String name, List<Value> args, Tree site, Frame frame) {
    Symbols symbols = frame.symbols();
    ExecutableElement method = symbols.choose(symbols.methods(owner, name), args);
    boolean traced = args.stream().anyMatch(Value::isTraced);
    if (method != null
        && traced
        && Symbols.isStatic(method)
        && frame.heap().isLeafFunction(method)) {
      return frame.phase().function(owner, method, args, site, frame); // one node, body unread
    }
    if (method != null && Symbols.isStatic(method) && frame.env().hasBody(method)) {
      return inline(null, method, args, frame.scope(), site, frame);
    }
    if (owner.getKind() == ElementKind.ENUM
        && frame.env().hasSource(owner)
        && name.equals("values")
        && args.isEmpty()) {
      List<Value> constants = frame.statics().enumConstants(owner, site, frame);
      return new ArrayValue(frame.types().erasure(owner.asType()), constants.toArray(Value[]::new));
    }
    if (owner.getQualifiedName().toString().startsWith("java.")) {
      return JdkCalls.onStatic(owner, name, args, site, frame);
    }
    if (method == null) {
      throw frame.unresolved(
          site, "no " + owner.getSimpleName() + "." + name + " takes these arguments");
    }
    if (traced) {
      return frame.phase().function(owner, method, args, site, frame);
    }
    List<Arg> recipe = recipe(args, site, frame);
    return new Opaque(
        method.getReturnType(),
        recipe == null ? null : new Arg.StaticCall(TypeNames.of(owner), name, recipe),
        frame.phase().tracesForward());
  }

  /** A method of a Java object: its code, found from the object's class (virtual dispatch). */
  Value callMethod(
      Instance self, TypeElement lookup, String name, List<Value> args, Tree site, Frame frame) {
    ExecutableElement method = sourceMethod(lookup, name, args, frame);
    if (method != null) {
      return inline(self, method, args, frame.scope(), site, frame);
    }
    if (lookup.getKind() == ElementKind.RECORD && args.isEmpty()) {
      for (RecordComponentElement c : lookup.getRecordComponents()) {
        if (c.getSimpleName().contentEquals(name)) {
          return frame.phase().read(self.readField(name, site, frame), site, frame);
        }
      }
    }
    throw frame.unresolved(
        site,
        "no method "
            + name
            + " with these arguments in "
            + lookup.getSimpleName()
            + " or its supertypes");
  }

  /** The instance method with a body that {@code name(args)} runs on an object of {@code type}. */
  ExecutableElement sourceMethod(TypeElement type, String name, List<Value> args, Frame frame) {
    ExecutableElement method = frame.symbols().choose(frame.symbols().methods(type, name), args);
    return method != null && !Symbols.isStatic(method) && frame.env().hasBody(method)
        ? method
        : null;
  }

  /** A method of a native object: carried, not followed; the object may have changed. */
  Value callOpaque(Opaque receiver, String name, List<Value> args, Tree site, Frame frame) {
    if (frame.phase().tracesForward() && args.stream().anyMatch(Value::isTraced)) {
      throw frame.unsupported(
          site, "passing traced values to a method of a native object (\"" + site + "\")");
    }
    receiver.touch();
    TypeElement type = Symbols.asTypeElement(receiver.staticType(frame.symbols()));
    ExecutableElement method =
        type == null ? null : frame.symbols().choose(frame.symbols().methods(type, name), args);
    TypeMirror result =
        method == null ? receiver.staticType(frame.symbols()) : method.getReturnType();
    return new Opaque(result, null, frame.phase().tracesForward());
  }

  /**
   * Runs {@code method}'s body on {@code self} with {@code args}; ops are named under {@code
   * scope}.
   */
  Value inline(
      Value self,
      ExecutableElement method,
      List<Value> args,
      String scope,
      Tree site,
      Frame caller) {
    caller.enter(site);
    try {
      MethodTree tree = caller.env().methodTree(method);
      Frame frame = caller.callee(self, Symbols.owner(method), scope);
      bind(method, tree, args, frame);
      try {
        frame.execute(tree.getBody());
      } catch (Jump jump) {
        if (jump.kind == Jump.Kind.RETURN) {
          return frame.typeTrees().coerce(jump.value, method.getReturnType());
        }
        throw jump;
      }
      return Value.Known.NULL;
    } finally {
      caller.leave();
    }
  }

  private static void bind(
      ExecutableElement method, MethodTree tree, List<Value> args, Frame frame) {
    List<? extends VariableElement> params = method.getParameters();
    for (int i = 0; i < params.size(); i++) {
      TypeMirror type = params.get(i).asType();
      Value value;
      boolean packs =
          method.isVarArgs()
              && i == params.size() - 1
              && !(args.size() == params.size() && args.get(i) instanceof ArrayValue);
      if (packs) {
        TypeMirror component = ((ArrayType) type).getComponentType();
        List<Value> rest = new ArrayList<>();
        for (Value v : args.subList(Math.min(i, args.size()), args.size())) {
          rest.add(frame.typeTrees().coerce(v, component));
        }
        value = ListValue.asArray(rest, type);
      } else {
        value = frame.typeTrees().coerce(args.get(i), type);
      }
      frame.setLocal(tree.getParameters().get(i).getName().toString(), value);
    }
  }

  // ------------------------------------------------------------------ objects

  /** {@code new type(args)}. */
  Value instantiate(TypeElement type, List<Value> args, Tree site, Frame frame) {
    TraceEnvironment env = frame.env();
    if (env.isModule(type)) {
      ModuleKind kind = frame.heap().leaves().kindOf(type, env);
      // A Java module without source never ran its constructor: its children are unknown. (A
      // plain presets Module is a container whose children the traced code registers.)
      boolean opaque = !kind.isNative() && !env.hasSource(type) && !LeafModules.isPresets(type);
      ModuleValue module = new ModuleValue(type, kind, opaque);
      if (env.hasSource(type)) {
        construct(module, type, args, site, frame);
      }
      return module;
    }
    if (env.hasSource(type)) {
      ObjectValue object =
          new ObjectValue(type, frame.phase().tracesForward() && !frame.statics().initializing());
      construct(object, type, args, site, frame);
      return object;
    }
    String name = type.getQualifiedName().toString();
    if (name.startsWith("java.util.") && name.endsWith("List")) {
      List<Value> initial =
          args.size() == 1 && args.get(0) instanceof ListValue l ? l.elements() : List.of();
      return new ListValue(initial, false);
    }
    if (name.startsWith("java.")) {
      throw frame.unsupported(site, "creating a " + type.getSimpleName());
    }
    // new Tensor(t) is a second handle on t's storage: the same parameter, buffer or traced value
    // (JavaCPP's trap: the reference register_parameter returns may move; a new handle does not).
    if (env.isTensor(type.asType())
        && args.size() == 1
        && (args.get(0) instanceof TensorRef || args.get(0).isTraced())) {
      return args.get(0);
    }
    List<Arg> recipe = recipe(args, site, frame);
    return new Opaque(
        frame.types().erasure(type.asType()),
        recipe == null ? null : new Arg.NewObject(TypeNames.of(type), recipe),
        frame.phase().tracesForward());
  }

  private void construct(
      Instance self, TypeElement type, List<Value> args, Tree site, Frame frame) {
    ExecutableElement ctor = frame.symbols().choose(frame.symbols().constructors(type), args);
    if (ctor == null) {
      throw frame.unresolved(
          site, "no constructor of " + type.getSimpleName() + " takes these arguments");
    }
    runConstructor(self, type, ctor, args, site, frame);
  }

  private void runConstructor(
      Instance self,
      TypeElement type,
      ExecutableElement ctor,
      List<Value> args,
      Tree site,
      Frame caller) {
    caller.enter(site);
    try {
      MethodTree tree = caller.env().methodTree(ctor);
      Frame frame = caller.callee(self, type, caller.scope());
      bind(ctor, tree, args, frame);
      List<? extends StatementTree> body = tree.getBody().getStatements();
      MethodInvocationTree chained = chainedConstructor(body);
      boolean delegates = false;
      if (chained != null) {
        List<Value> chainedArgs = arguments(chained, frame);
        delegates = ((IdentifierTree) chained.getMethodSelect()).getName().contentEquals("this");
        if (delegates) {
          construct(self, type, chainedArgs, chained, frame);
        } else {
          superConstructor(self, type, chainedArgs, chained, frame);
        }
      } else {
        superConstructor(self, type, List.of(), tree, frame);
      }
      if (!delegates) {
        runInitializers(self, type, frame);
      }
      try {
        for (StatementTree s : body.subList(chained == null ? 0 : 1, body.size())) {
          frame.execute(s);
        }
      } catch (Jump jump) {
        if (jump.kind != Jump.Kind.RETURN) {
          throw jump;
        }
      }
      if (type.getKind() == ElementKind.RECORD) {
        assignRecordComponents(self, type, ctor, tree, frame);
      }
    } finally {
      caller.leave();
    }
  }

  private static MethodInvocationTree chainedConstructor(List<? extends StatementTree> body) {
    if (!body.isEmpty()
        && body.get(0) instanceof ExpressionStatementTree es
        && es.getExpression() instanceof MethodInvocationTree first
        && first.getMethodSelect() instanceof IdentifierTree id
        && (id.getName().contentEquals("super") || id.getName().contentEquals("this"))) {
      return first;
    }
    return null;
  }

  /**
   * A record's canonical constructor, when compact or implicit, assigns the fields from its
   * parameters after its body (javac adds those assignments after annotation processing).
   */
  private static void assignRecordComponents(
      Instance self, TypeElement type, ExecutableElement ctor, MethodTree tree, Frame frame) {
    List<? extends RecordComponentElement> components = type.getRecordComponents();
    if (ctor.getParameters().size() != components.size()) {
      return;
    }
    for (int i = 0; i < components.size(); i++) {
      String field = components.get(i).getSimpleName().toString();
      String param = tree.getParameters().get(i).getName().toString();
      if (!self.fields().containsKey(field) && frame.hasLocal(param)) {
        self.fields().put(field, frame.local(param));
      }
    }
  }

  private void superConstructor(
      Instance self, TypeElement type, List<Value> args, Tree site, Frame frame) {
    TypeElement parent = Symbols.asTypeElement(type.getSuperclass());
    if (parent != null && frame.env().hasSource(parent)) {
      ExecutableElement ctor = frame.symbols().choose(frame.symbols().constructors(parent), args);
      if (ctor == null) {
        throw frame.unresolved(
            site, "no constructor of " + parent.getSimpleName() + " takes these arguments");
      }
      runConstructor(self, parent, ctor, args, site, frame);
    }
  }

  private static void runInitializers(Instance self, TypeElement type, Frame frame) {
    ClassTree classTree = frame.env().classTree(type);
    for (Tree member : classTree.getMembers()) {
      if (member instanceof VariableTree v
          && !v.getModifiers().getFlags().contains(Modifier.STATIC)
          && v.getInitializer() != null) {
        VariableElement field = frame.symbols().field(type, v.getName().toString());
        TypeMirror fieldType = field == null ? null : field.asType();
        Value value =
            v.getInitializer() instanceof NewArrayTree array && array.getType() == null
                ? Expressions.INSTANCE.arrayInitializer(array, fieldType, frame)
                : frame.evaluate(v.getInitializer());
        self.fields().put(v.getName().toString(), frame.typeTrees().coerce(value, fieldType));
      } else if (member instanceof com.sun.source.tree.BlockTree b && !b.isStatic()) {
        frame.execute(b);
      }
    }
  }

  // ------------------------------------------------------------------ recipes

  /** How generated code re-creates {@code args}, or null when one of them cannot be. */
  private static List<Arg> recipe(List<Value> args, Tree site, Frame frame) {
    List<Arg> out = new ArrayList<>(args.size());
    for (Value v : args) {
      try {
        out.add(v.toArg(site, frame));
      } catch (TraceException e) {
        return null;
      }
    }
    return out;
  }
}
