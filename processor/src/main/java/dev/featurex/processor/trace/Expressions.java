package dev.featurex.processor.trace;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BindingPatternTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ConditionalExpressionTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.InstanceOfTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberReferenceTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TypeCastTree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.util.SimpleTreeVisitor;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.Operator;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.TypeMirror;

/**
 * Expressions: one {@code visitX} per construct the tracer follows; anything else is reported as
 * not followed. Stateless: the state is the {@link Frame} passed in.
 */
final class Expressions extends SimpleTreeVisitor<Value, Frame> {

  static final Expressions INSTANCE = new Expressions();

  private Expressions() {}

  /** Evaluates {@code tree}, counting a step. */
  Value evaluate(ExpressionTree tree, Frame frame) {
    frame.step(tree);
    return tree.accept(this, frame);
  }

  @Override
  protected Value defaultAction(Tree node, Frame frame) {
    throw frame.unsupported(node, Describe.of(node));
  }

  @Override
  public Value visitParenthesized(ParenthesizedTree tree, Frame frame) {
    return evaluate(tree.getExpression(), frame);
  }

  @Override
  public Value visitLiteral(LiteralTree tree, Frame frame) {
    return new Value.Known(tree.getValue());
  }

  // ------------------------------------------------------------------ names

  @Override
  public Value visitIdentifier(IdentifierTree tree, Frame frame) {
    String name = tree.getName().toString();
    if (frame.hasLocal(name)) {
      return frame.local(name);
    }
    if (name.equals("this") || name.equals("super")) {
      return frame.self();
    }
    Value field = field(name, tree, frame);
    if (field != null) {
      return frame.phase().read(field, tree, frame);
    }
    TypeElement type = frame.symbols().resolveType(name, frame.clazz(), frame.unit());
    if (type != null) {
      return new Value.TypeRef(type);
    }
    throw frame.unsupported(
        tree, "the name \"" + name + "\" (not a local, field or class the tracer can see)");
  }

  /** Field {@code name} as code in the frame's class sees it, or null when there is none. */
  private static Value field(String name, Tree tree, Frame frame) {
    for (Element e = frame.clazz(); e != null; e = e.getEnclosingElement()) {
      if (!(e instanceof TypeElement type)) {
        continue;
      }
      VariableElement f = frame.symbols().field(type, name);
      if (f == null) {
        continue;
      }
      if (Symbols.isStatic(f)) {
        return frame.statics().read(Symbols.owner(f), name, tree, frame);
      }
      if (type == frame.clazz() && frame.self() instanceof Instance self) {
        return self.readField(name, tree, frame);
      }
      if (type != frame.clazz()) {
        throw enclosingInstance(type, tree, frame); // a field of the outer object, not of this
      }
    }
    for (TypeElement owner : frame.symbols().staticImportOwners(name, frame.unit())) {
      Value v = frame.statics().read(owner, name, tree, frame);
      if (v != null) {
        return v;
      }
    }
    return null;
  }

  @Override
  public Value visitMemberSelect(MemberSelectTree tree, Frame frame) {
    String member = tree.getIdentifier().toString();
    if (member.equals("class")) {
      throw frame.unsupported(tree, "class literals");
    }
    TypeElement whole = qualifiedType(tree, frame);
    if (whole != null) {
      return new Value.TypeRef(whole); // a class named with its package or outer class
    }
    ExpressionTree owner = tree.getExpression();
    TypeElement qualified =
        owner instanceof MemberSelectTree || owner instanceof IdentifierTree
            ? qualifiedType(owner, frame)
            : null;
    if (qualified != null && member.equals("this")) {
      if (qualified != frame.clazz()) {
        throw enclosingInstance(qualified, tree, frame);
      }
      return frame.self();
    }
    Value target = qualified != null ? new Value.TypeRef(qualified) : evaluate(owner, frame);
    return target.select(member, tree, frame);
  }

  /**
   * The refusal of code in an inner class that reads the instance of {@code outer} enclosing its
   * {@code this} ({@code Outer.this.f}, or {@code f} or {@code m()} declared in {@code Outer}): the
   * tracer does not see javac's hidden field that holds it, so it has no value to give.
   */
  static TraceException enclosingInstance(TypeElement outer, Tree tree, Frame frame) {
    String inner = frame.clazz().getSimpleName().toString();
    return frame.error(
        tree,
        Message.ENCLOSING_INSTANCE,
        "\"" + Describe.abbreviate(tree) + "\"",
        outer.getSimpleName(),
        inner,
        inner,
        inner,
        inner);
  }

  /** The class a (qualified) name denotes, when it is one and not a local or field. */
  static TypeElement qualifiedType(ExpressionTree tree, Frame frame) {
    Symbols symbols = frame.symbols();
    if (tree instanceof IdentifierTree id) {
      String name = id.getName().toString();
      if (frame.hasLocal(name)
          || name.equals("this")
          || name.equals("super")
          || symbols.field(frame.clazz(), name) != null) {
        return null;
      }
      return symbols.resolveType(name, frame.clazz(), frame.unit());
    }
    if (!(tree instanceof MemberSelectTree select)) {
      return null;
    }
    if (symbols.isPackage(select.getExpression().toString())) {
      return symbols.type(select.toString());
    }
    TypeElement outer = qualifiedType(select.getExpression(), frame);
    return outer == null ? null : symbols.memberType(outer, select.getIdentifier().toString());
  }

  // ------------------------------------------------------------------ calls and objects

  @Override
  public Value visitMethodInvocation(MethodInvocationTree tree, Frame frame) {
    return Invocations.INSTANCE.invoke(tree, frame);
  }

  @Override
  public Value visitNewClass(NewClassTree tree, Frame frame) {
    if (tree.getClassBody() != null) {
      throw frame.unsupported(tree, "anonymous classes");
    }
    TypeMirror typeMirror = frame.typeTrees().typeOf(tree.getIdentifier(), frame);
    TypeElement type = typeMirror == null ? null : Symbols.asTypeElement(typeMirror);
    if (type == null) {
      throw frame.unresolved(tree, "the class is not known");
    }
    List<Value> args = new ArrayList<>(tree.getArguments().size());
    for (ExpressionTree a : tree.getArguments()) {
      args.add(evaluate(a, frame));
    }
    return Invocations.INSTANCE.instantiate(type, args, tree, frame);
  }

  @Override
  public Value visitLambdaExpression(LambdaExpressionTree tree, Frame frame) {
    return FunctionValue.lambda(tree, frame);
  }

  @Override
  public Value visitMemberReference(MemberReferenceTree tree, Frame frame) {
    ExpressionTree qualifier = tree.getQualifierExpression();
    TypeElement type =
        qualifier instanceof IdentifierTree || qualifier instanceof MemberSelectTree
            ? qualifiedType(qualifier, frame)
            : null;
    if (tree.getMode() == MemberReferenceTree.ReferenceMode.NEW) {
      if (type == null) {
        throw frame.unsupported(tree, "a constructor reference to " + qualifier);
      }
      return FunctionValue.reference(new Value.TypeRef(type), "<init>");
    }
    if (qualifier instanceof IdentifierTree id && id.getName().contentEquals("super")) {
      throw frame.unsupported(tree, "a method reference on super");
    }
    Value target = type != null ? new Value.TypeRef(type) : evaluate(qualifier, frame);
    return FunctionValue.reference(target, tree.getName().toString());
  }

  // ------------------------------------------------------------------ arrays and assignments

  @Override
  public Value visitNewArray(NewArrayTree tree, Frame frame) {
    return ArrayExpressions.create(tree, frame);
  }

  /** {@code {a, b}}: an array of {@code arrayType}, as written in a declaration. */
  Value arrayInitializer(NewArrayTree tree, TypeMirror arrayType, Frame frame) {
    return ArrayExpressions.initializer(tree, arrayType, frame);
  }

  @Override
  public Value visitArrayAccess(ArrayAccessTree tree, Frame frame) {
    return ArrayExpressions.read(tree, frame);
  }

  @Override
  public Value visitAssignment(AssignmentTree tree, Frame frame) {
    return Assignments.assign(tree.getVariable(), evaluate(tree.getExpression(), frame), frame);
  }

  @Override
  public Value visitCompoundAssignment(CompoundAssignmentTree tree, Frame frame) {
    Value left = evaluate(tree.getVariable(), frame);
    Value right = evaluate(tree.getExpression(), frame);
    Value result = combine(Operators.of(tree.getKind()), left, right, tree, frame);
    // Java casts the result back to the variable's type (i += 0.5 on an int).
    return Assignments.assign(
        tree.getVariable(),
        frame.typeTrees().coerce(result, left.staticType(frame.symbols())),
        frame);
  }

  // ------------------------------------------------------------------ operators

  @Override
  public Value visitBinary(BinaryTree tree, Frame frame) {
    if (tree.getKind() == Tree.Kind.CONDITIONAL_AND || tree.getKind() == Tree.Kind.CONDITIONAL_OR) {
      boolean and = tree.getKind() == Tree.Kind.CONDITIONAL_AND;
      boolean left = frame.condition(tree.getLeftOperand(), "the condition");
      if (and != left) {
        return new Value.Known(left);
      }
      return new Value.Known(frame.condition(tree.getRightOperand(), "the condition"));
    }
    Value left = evaluate(tree.getLeftOperand(), frame);
    Value right = evaluate(tree.getRightOperand(), frame);
    return combine(Operators.of(tree.getKind()), left, right, tree, frame);
  }

  /** {@code left op right}: on known values in the processor, on traced values a node. */
  private static Value combine(Operator op, Value left, Value right, Tree tree, Frame frame) {
    if (op == null) {
      throw frame.unsupported(tree, Describe.of(tree));
    }
    boolean equality = op == Operator.EQUAL || op == Operator.NOT_EQUAL;
    if (left instanceof Value.Known a && right instanceof Value.Known b) {
      if (!equality && (a.value() == null || b.value() == null)) {
        throw frame.error(tree, Message.THROWS, "\"" + tree + "\"", "a NullPointerException");
      }
      return known(op, a.value(), b.value(), tree, frame);
    }
    boolean traced = left.isTraced() || right.isTraced();
    if (traced && op == Operator.ADD && (isString(left, frame) || isString(right, frame))) {
      throw frame.unsupported(
          tree,
          "a string concatenation with a traced value outside a guard's message (\""
              + Describe.abbreviate(tree)
              + "\")");
    }
    if (left.isTraced() || right.isTraced()) {
      boolean nullCheck =
          equality && (Value.Known.NULL.equals(left) || Value.Known.NULL.equals(right));
      if (!nullCheck) {
        return frame.phase().operator(op, List.of(left, right), tree, frame);
      }
    }
    if (equality) {
      boolean same = left == right || left.equals(right);
      return new Value.Known(op == Operator.EQUAL == same);
    }
    throw frame.error(
        tree,
        Message.UNKNOWN_VALUE,
        "\"" + tree + "\"",
        left.describe() + " and " + right.describe());
  }

  private static boolean isString(Value v, Frame frame) {
    TypeMirror type = v.staticType(frame.symbols());
    return type != null && type.toString().equals("java.lang.String");
  }

  private static Value known(Operator op, Object a, Object b, Tree tree, Frame frame) {
    try {
      return new Value.Known(op.apply(a, b));
    } catch (ArithmeticException e) {
      throw frame.error(tree, Message.THROWS, "\"" + tree + "\"", "division by zero");
    } catch (IllegalArgumentException e) {
      throw frame.unsupported(tree, Describe.of(tree) + " (" + e.getMessage() + ")");
    }
  }

  @Override
  public Value visitUnary(UnaryTree tree, Frame frame) {
    switch (tree.getKind()) {
      case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT:
        return increment(tree, frame);
      default:
        break;
    }
    Operator op = Operators.of(tree.getKind());
    Value operand = evaluate(tree.getExpression(), frame);
    if (op == null) {
      throw frame.unsupported(tree, Describe.of(tree));
    }
    if (operand instanceof Value.Known k) {
      return known(op, k.value(), null, tree, frame);
    }
    if (operand.isTraced()) {
      return frame.phase().operator(op, List.of(operand), tree, frame);
    }
    throw frame.error(tree, Message.UNKNOWN_VALUE, "\"" + tree + "\"", operand.describe());
  }

  private Value increment(UnaryTree tree, Frame frame) {
    Value old = evaluate(tree.getExpression(), frame);
    if (!(old instanceof Value.Known k)
        || !(k.value() instanceof Number || k.value() instanceof Character)) {
      throw frame.error(tree, Message.UNKNOWN_VALUE, "\"" + tree + "\"", old.describe());
    }
    boolean up =
        tree.getKind() == Tree.Kind.PREFIX_INCREMENT
            || tree.getKind() == Tree.Kind.POSTFIX_INCREMENT;
    Value sum = known(up ? Operator.ADD : Operator.SUBTRACT, k.value(), 1, tree, frame);
    Value updated = frame.typeTrees().coerce(sum, old.staticType(frame.symbols()));
    Assignments.assign(tree.getExpression(), updated, frame);
    boolean prefix =
        tree.getKind() == Tree.Kind.PREFIX_INCREMENT
            || tree.getKind() == Tree.Kind.PREFIX_DECREMENT;
    return prefix ? updated : old;
  }

  @Override
  public Value visitConditionalExpression(ConditionalExpressionTree tree, Frame frame) {
    return frame.condition(tree.getCondition(), "the condition")
        ? evaluate(tree.getTrueExpression(), frame)
        : evaluate(tree.getFalseExpression(), frame);
  }

  @Override
  public Value visitTypeCast(TypeCastTree tree, Frame frame) {
    Value v = evaluate(tree.getExpression(), frame);
    TypeMirror type = frame.typeTrees().typeOf(tree.getType(), frame);
    if (type != null && type.getKind().isPrimitive()) {
      if (v.isTraced()) {
        throw frame.unsupported(
            tree,
            "a primitive cast of a traced value (\""
                + tree
                + "\"); keep traced sizes as the long that Tensor.size gives");
      }
      return frame.typeTrees().coerce(v, type);
    }
    if (v instanceof Opaque o && type != null && o.recipe() != null) {
      // Keeps an overload choice that depended on the cast.
      return new Opaque(
          type, new Arg.Cast(frame.typeTrees().written(type), o.recipe()), o.fromForward());
    }
    return v;
  }

  @Override
  public Value visitInstanceOf(InstanceOfTree tree, Frame frame) {
    Value v = evaluate(tree.getExpression(), frame);
    Tree typeTree = tree.getType();
    String binding = null;
    if (tree.getPattern() instanceof BindingPatternTree pattern) {
      typeTree = pattern.getVariable().getType();
      binding = pattern.getVariable().getName().toString();
    }
    TypeMirror type = frame.typeTrees().typeOf(typeTree, frame);
    TypeMirror actual = v.staticType(frame.symbols());
    boolean is =
        actual != null
            && type != null
            && frame
                .types()
                .isAssignable(frame.types().erasure(actual), frame.types().erasure(type));
    if (is && binding != null) {
      frame.setLocal(binding, v);
    }
    return new Value.Known(is);
  }

  @Override
  public Value visitSwitchExpression(SwitchExpressionTree tree, Frame frame) {
    return Switches.expression(tree, frame);
  }
}
