package dev.featurex.processor.trace;

import com.sun.source.tree.*;
import dev.featurex.processor.Message;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.TypeMirror;

/**
 * Statements and expressions: a small abstract interpreter over javac trees. Calls and object
 * creation are {@link Invoker}'s; what a call on a module or a symbolic value means is the
 * tracer's. Every step counts against a budget, so no input makes it run for ever.
 */
final class Interpreter {

  static final int STEP_BUDGET = 5_000_000;
  static final int MAX_DEPTH = 200;

  final Symbols symbols;
  final TypeTrees types;
  final Switches switches;
  final Invoker invoker;
  private int steps;

  Interpreter(Symbols symbols, Invoker invoker) {
    this.symbols = symbols;
    this.types = new TypeTrees(symbols);
    this.switches = new Switches(this);
    this.invoker = invoker;
  }

  void step(Tree tree, Frame frame) {
    if (++steps > STEP_BUDGET) {
      throw new TraceException(Message.STEP_LIMIT.format(STEP_BUDGET), tree, frame.unit);
    }
  }

  TraceException error(Tree tree, Frame frame, Message message, Object... args) {
    return new TraceException(message.format(args), tree, frame.unit);
  }

  // ---------------------------------------------------------------- statements

  void execute(StatementTree statement, Frame frame) {
    step(statement, frame);
    switch (statement.getKind()) {
      case BLOCK -> {
        for (StatementTree s : ((BlockTree) statement).getStatements()) {
          execute(s, frame);
        }
      }
      case VARIABLE -> declare((VariableTree) statement, frame);
      case EXPRESSION_STATEMENT ->
          evaluate(((ExpressionStatementTree) statement).getExpression(), frame);
      case IF -> {
        IfTree tree = (IfTree) statement;
        if (condition(tree.getCondition(), frame, "the if condition")) {
          execute(tree.getThenStatement(), frame);
        } else if (tree.getElseStatement() != null) {
          execute(tree.getElseStatement(), frame);
        }
      }
      case FOR_LOOP -> forLoop((ForLoopTree) statement, frame, null);
      case ENHANCED_FOR_LOOP -> forEach((EnhancedForLoopTree) statement, frame, null);
      case WHILE_LOOP -> whileLoop((WhileLoopTree) statement, frame, null);
      case DO_WHILE_LOOP -> doWhile((DoWhileLoopTree) statement, frame, null);
      case LABELED_STATEMENT -> labeled((LabeledStatementTree) statement, frame);
      case RETURN -> {
        ExpressionTree e = ((ReturnTree) statement).getExpression();
        throw new Frame.Jump(
            Frame.Jump.Kind.RETURN, null, e == null ? Value.Known.NULL : evaluate(e, frame));
      }
      case BREAK ->
          throw new Frame.Jump(
              Frame.Jump.Kind.BREAK, name(((BreakTree) statement).getLabel()), null);
      case CONTINUE ->
          throw new Frame.Jump(
              Frame.Jump.Kind.CONTINUE, name(((ContinueTree) statement).getLabel()), null);
      case THROW ->
          throw error(
              statement,
              frame,
              Message.THROWS,
              "this code",
              ((ThrowTree) statement).getExpression());
      case TRY -> tryStatement((TryTree) statement, frame);
      case SYNCHRONIZED -> execute(((SynchronizedTree) statement).getBlock(), frame);
      case SWITCH -> switches.statement((SwitchTree) statement, frame);
      case YIELD ->
          throw new Frame.Jump(
              Frame.Jump.Kind.YIELD, null, evaluate(((YieldTree) statement).getValue(), frame));
      case EMPTY_STATEMENT, ASSERT -> {}
      default -> throw error(statement, frame, Message.UNSUPPORTED, Describe.of(statement));
    }
  }

  private static String name(javax.lang.model.element.Name label) {
    return label == null ? null : label.toString();
  }

  private void declare(VariableTree tree, Frame frame) {
    TypeMirror type = types.typeOf(tree.getType(), frame);
    Value value;
    if (tree.getInitializer() == null) {
      value = Value.Known.NULL;
    } else if (tree.getInitializer() instanceof NewArrayTree array && array.getType() == null) {
      value = arrayInitializer(array, type, frame);
    } else {
      value = evaluate(tree.getInitializer(), frame);
    }
    frame.locals.put(tree.getName().toString(), types.coerce(value, type));
  }

  private void tryStatement(TryTree tree, Frame frame) {
    for (Tree resource : tree.getResources()) {
      if (resource instanceof VariableTree v) {
        declare(v, frame);
      } else {
        evaluate((ExpressionTree) resource, frame);
      }
    }
    try {
      execute(tree.getBlock(), frame);
    } finally {
      if (tree.getFinallyBlock() != null) {
        execute(tree.getFinallyBlock(), frame);
      }
    }
  }

  private void labeled(LabeledStatementTree tree, Frame frame) {
    String label = tree.getLabel().toString();
    StatementTree body = tree.getStatement();
    try {
      switch (body.getKind()) {
        case FOR_LOOP -> forLoop((ForLoopTree) body, frame, label);
        case ENHANCED_FOR_LOOP -> forEach((EnhancedForLoopTree) body, frame, label);
        case WHILE_LOOP -> whileLoop((WhileLoopTree) body, frame, label);
        case DO_WHILE_LOOP -> doWhile((DoWhileLoopTree) body, frame, label);
        default -> execute(body, frame);
      }
    } catch (Frame.Jump jump) {
      if (jump.kind != Frame.Jump.Kind.BREAK || !label.equals(jump.label)) {
        throw jump;
      }
    }
  }

  /** Runs a loop body; returns false when the loop must stop (a break aimed at it). */
  private boolean body(StatementTree body, Frame frame, String label) {
    try {
      execute(body, frame);
      return true;
    } catch (Frame.Jump jump) {
      boolean mine = jump.label == null || jump.label.equals(label);
      if (jump.kind == Frame.Jump.Kind.BREAK && mine) {
        return false;
      }
      if (jump.kind == Frame.Jump.Kind.CONTINUE && mine) {
        return true;
      }
      throw jump;
    }
  }

  private void forLoop(ForLoopTree tree, Frame frame, String label) {
    for (StatementTree init : tree.getInitializer()) {
      execute(init, frame);
    }
    while (tree.getCondition() == null
        || condition(tree.getCondition(), frame, "the loop condition")) {
      step(tree, frame);
      if (!body(tree.getStatement(), frame, label)) {
        return;
      }
      for (ExpressionStatementTree update : tree.getUpdate()) {
        evaluate(update.getExpression(), frame);
      }
    }
  }

  private void whileLoop(WhileLoopTree tree, Frame frame, String label) {
    while (condition(tree.getCondition(), frame, "the loop condition")) {
      step(tree, frame);
      if (!body(tree.getStatement(), frame, label)) {
        return;
      }
    }
  }

  private void doWhile(DoWhileLoopTree tree, Frame frame, String label) {
    do {
      step(tree, frame);
      if (!body(tree.getStatement(), frame, label)) {
        return;
      }
    } while (condition(tree.getCondition(), frame, "the loop condition"));
  }

  private void forEach(EnhancedForLoopTree tree, Frame frame, String label) {
    Value iterable = evaluate(tree.getExpression(), frame);
    List<Value> items;
    if (iterable instanceof Value.ArrayValue array) {
      items = List.of(array.elements);
    } else if (iterable instanceof Value.ListValue list) {
      items = List.copyOf(list.elements);
    } else if (iterable instanceof Value.Symbolic) {
      throw error(
          tree.getExpression(),
          frame,
          Message.TENSOR_CONDITION,
          "a for loop over " + tree.getExpression());
    } else {
      throw error(
          tree.getExpression(),
          frame,
          Message.UNSUPPORTED,
          "a for loop over " + tree.getExpression() + " (only arrays and Lists are unrolled)");
    }
    TypeMirror type = types.typeOf(tree.getVariable().getType(), frame);
    String variable = tree.getVariable().getName().toString();
    for (Value item : items) {
      step(tree, frame);
      frame.locals.put(variable, types.coerce(item, type));
      if (!body(tree.getStatement(), frame, label)) {
        return;
      }
    }
  }

  boolean condition(ExpressionTree tree, Frame frame, String what) {
    Value v = evaluate(tree, frame);
    if (v instanceof Value.Known k && k.value() instanceof Boolean b) {
      return b;
    }
    if (v instanceof Value.Symbolic) {
      throw error(tree, frame, Message.TENSOR_CONDITION, what + " \"" + tree + "\"");
    }
    throw error(tree, frame, Message.UNKNOWN_VALUE, what + " \"" + tree + "\"", Describe.of(v));
  }

  // ---------------------------------------------------------------- expressions

  Value evaluate(ExpressionTree tree, Frame frame) {
    step(tree, frame);
    switch (tree.getKind()) {
      case PARENTHESIZED:
        return evaluate(((ParenthesizedTree) tree).getExpression(), frame);
      case INT_LITERAL,
      LONG_LITERAL,
      FLOAT_LITERAL,
      DOUBLE_LITERAL,
      BOOLEAN_LITERAL,
      CHAR_LITERAL,
      STRING_LITERAL,
      NULL_LITERAL:
        return new Value.Known(((LiteralTree) tree).getValue());
      case IDENTIFIER:
        return identifier((IdentifierTree) tree, frame);
      case MEMBER_SELECT:
        return memberSelect((MemberSelectTree) tree, frame);
      case METHOD_INVOCATION:
        return invoker.invoke((MethodInvocationTree) tree, frame);
      case NEW_CLASS:
        return invoker.create((NewClassTree) tree, frame);
      case NEW_ARRAY:
        return newArray((NewArrayTree) tree, frame);
      case ARRAY_ACCESS:
        return arrayAccess((ArrayAccessTree) tree, frame);
      case ASSIGNMENT:
        {
          AssignmentTree a = (AssignmentTree) tree;
          Value value =
              a.getExpression() instanceof NewArrayTree array && array.getType() == null
                  ? arrayInitializer(array, targetType(a.getVariable(), frame), frame)
                  : evaluate(a.getExpression(), frame);
          return assign(a.getVariable(), value, frame);
        }
      case CONDITIONAL_EXPRESSION:
        {
          ConditionalExpressionTree c = (ConditionalExpressionTree) tree;
          return condition(c.getCondition(), frame, "the condition")
              ? evaluate(c.getTrueExpression(), frame)
              : evaluate(c.getFalseExpression(), frame);
        }
      case TYPE_CAST:
        return cast((TypeCastTree) tree, frame);
      case INSTANCE_OF:
        {
          InstanceOfTree i = (InstanceOfTree) tree;
          Value v = evaluate(i.getExpression(), frame);
          TypeMirror t = types.typeOf(i.getType(), frame);
          TypeMirror actual = symbols.typeOf(v);
          return new Value.Known(
              actual != null
                  && symbols.types.isAssignable(
                      symbols.types.erasure(actual), symbols.types.erasure(t)));
        }
      case CONDITIONAL_AND, CONDITIONAL_OR:
        {
          BinaryTree b = (BinaryTree) tree;
          boolean left = condition(b.getLeftOperand(), frame, "the condition");
          if (tree.getKind() == Tree.Kind.CONDITIONAL_AND ? !left : left) {
            return new Value.Known(left);
          }
          return new Value.Known(condition(b.getRightOperand(), frame, "the condition"));
        }
      case PREFIX_INCREMENT, PREFIX_DECREMENT, POSTFIX_INCREMENT, POSTFIX_DECREMENT:
        return increment((UnaryTree) tree, frame);
      case SWITCH_EXPRESSION:
        return switches.expression((SwitchExpressionTree) tree, frame);
      case LAMBDA_EXPRESSION, MEMBER_REFERENCE:
        throw error(tree, frame, Message.UNSUPPORTED, Describe.of(tree));
      default:
        if (tree instanceof BinaryTree b) {
          return invoker.binary(
              b, evaluate(b.getLeftOperand(), frame), evaluate(b.getRightOperand(), frame), frame);
        }
        if (tree instanceof UnaryTree u) {
          return invoker.unary(u, evaluate(u.getExpression(), frame), frame);
        }
        if (tree instanceof CompoundAssignmentTree c) {
          Value left = evaluate(c.getVariable(), frame);
          Value right = evaluate(c.getExpression(), frame);
          Value result = invoker.compound(c, left, right, frame);
          return assign(c.getVariable(), types.coerce(result, symbols.typeOf(left)), frame);
        }
        throw error(tree, frame, Message.UNSUPPORTED, Describe.of(tree));
    }
  }

  private Value identifier(IdentifierTree tree, Frame frame) {
    String name = tree.getName().toString();
    if (frame.locals.containsKey(name)) {
      return frame.locals.get(name);
    }
    if (name.equals("this") || name.equals("super")) {
      return frame.self;
    }
    Value field = invoker.fields.field(frame.self, frame.clazz, name, tree, frame);
    if (field != null) {
      return field;
    }
    TypeElement type = symbols.resolveType(name, frame.clazz, frame.unit);
    if (type != null) {
      return new Value.TypeRef(type);
    }
    throw error(
        tree,
        frame,
        Message.UNSUPPORTED,
        "the name \"" + name + "\" (not a local, field or class the tracer can see)");
  }

  private Value memberSelect(MemberSelectTree tree, Frame frame) {
    String member = tree.getIdentifier().toString();
    ExpressionTree owner = tree.getExpression();
    if (member.equals("class")) {
      throw error(tree, frame, Message.UNSUPPORTED, "class literals");
    }
    Value target;
    if (owner instanceof MemberSelectTree || owner instanceof IdentifierTree) {
      TypeElement qualified = qualifiedType(owner, frame);
      target = qualified != null ? new Value.TypeRef(qualified) : evaluate(owner, frame);
    } else {
      target = evaluate(owner, frame);
    }
    if (member.equals("length") && target instanceof Value.ArrayValue array) {
      return new Value.Known(array.elements.length);
    }
    if (member.equals("this") && target instanceof Value.TypeRef) {
      return frame.self;
    }
    if (target instanceof Value.TypeRef ref) {
      Value field = invoker.fields.staticField(ref.type(), member, tree, frame);
      if (field != null) {
        return field;
      }
      TypeElement nested = symbols.memberType(ref.type(), member);
      if (nested != null) {
        return new Value.TypeRef(nested);
      }
    }
    if (target instanceof Value.ObjectValue object) {
      Value field = invoker.fields.field(object, object.type, member, tree, frame);
      if (field != null) {
        return field;
      }
    }
    throw error(
        tree,
        frame,
        Message.UNSUPPORTED,
        "the field access \"" + tree + "\" on " + Describe.of(target));
  }

  /** The class a qualified name denotes, when it is one and not a local or field. */
  private TypeElement qualifiedType(ExpressionTree tree, Frame frame) {
    if (tree instanceof IdentifierTree id) {
      String name = id.getName().toString();
      if (frame.locals.containsKey(name)
          || name.equals("this")
          || name.equals("super")
          || invoker.fields.hasField(frame.self, frame.clazz, name)) {
        return null;
      }
      return symbols.resolveType(name, frame.clazz, frame.unit);
    }
    MemberSelectTree select = (MemberSelectTree) tree;
    if (symbols.isPackage(select.getExpression().toString())) {
      return symbols.type(select.toString());
    }
    TypeElement outer = qualifiedType(select.getExpression(), frame);
    if (outer == null) {
      return symbols.type(select.toString());
    }
    return symbols.memberType(outer, select.getIdentifier().toString());
  }

  private Value newArray(NewArrayTree tree, Frame frame) {
    if (tree.getInitializers() != null) {
      TypeMirror component = types.typeOf(tree.getType(), frame);
      return arrayInitializer(tree, symbols.types.getArrayType(component), frame);
    }
    TypeMirror component = types.typeOf(tree.getType(), frame);
    List<Integer> dims = new ArrayList<>();
    for (ExpressionTree d : tree.getDimensions()) {
      dims.add(toInt(evaluate(d, frame), d, frame));
    }
    return allocate(component, dims, 0, tree.getDimensions().size());
  }

  private Value.ArrayValue allocate(
      TypeMirror component, List<Integer> dims, int level, int declared) {
    TypeMirror element = component;
    for (int i = level + 1; i < declared; i++) {
      element = symbols.types.getArrayType(element);
    }
    Value[] values = new Value[dims.get(level)];
    for (int i = 0; i < values.length; i++) {
      values[i] =
          level + 1 < dims.size()
              ? allocate(component, dims, level + 1, declared)
              : types.defaultValue(element);
    }
    return new Value.ArrayValue(element, values);
  }

  Value arrayInitializer(NewArrayTree tree, TypeMirror arrayType, Frame frame) {
    TypeMirror component = arrayType instanceof ArrayType a ? a.getComponentType() : null;
    List<? extends ExpressionTree> inits = tree.getInitializers();
    Value[] values = new Value[inits.size()];
    for (int i = 0; i < values.length; i++) {
      ExpressionTree e = inits.get(i);
      values[i] =
          e instanceof NewArrayTree nested && nested.getType() == null
              ? arrayInitializer(nested, component, frame)
              : types.coerce(evaluate(e, frame), component);
    }
    if (component == null) {
      throw error(tree, frame, Message.UNSUPPORTED, "an array initializer without a declared type");
    }
    return new Value.ArrayValue(component, values);
  }

  private Value arrayAccess(ArrayAccessTree tree, Frame frame) {
    Value array = evaluate(tree.getExpression(), frame);
    int index = toInt(evaluate(tree.getIndex(), frame), tree.getIndex(), frame);
    if (!(array instanceof Value.ArrayValue a)) {
      throw error(tree, frame, Message.UNSUPPORTED, "indexing " + Describe.of(array));
    }
    if (index < 0 || index >= a.elements.length) {
      throw error(
          tree,
          frame,
          Message.THROWS,
          "\"" + tree + "\"",
          "index " + index + " out of bounds for length " + a.elements.length);
    }
    return a.elements[index];
  }

  int toInt(Value v, Tree tree, Frame frame) {
    if (v instanceof Value.Known k && k.value() instanceof Number n) {
      return n.intValue();
    }
    if (v instanceof Value.Known k && k.value() instanceof Character c) {
      return c;
    }
    if (v instanceof Value.Symbolic) {
      throw error(tree, frame, Message.TENSOR_CONDITION, "\"" + tree + "\"");
    }
    throw error(tree, frame, Message.UNKNOWN_VALUE, "\"" + tree + "\"", Describe.of(v));
  }

  Value assign(ExpressionTree target, Value value, Frame frame) {
    if (target instanceof IdentifierTree id) {
      String name = id.getName().toString();
      if (frame.locals.containsKey(name)) {
        frame.locals.put(name, value);
        return value;
      }
      invoker.fields.setField(frame.self, frame.clazz, name, value, target, frame);
      return value;
    }
    if (target instanceof MemberSelectTree select) {
      String name = select.getIdentifier().toString();
      TypeElement type = qualifiedType(select.getExpression(), frame);
      if (type != null) {
        invoker.fields.setStaticField(type, name, value, target, frame);
        return value;
      }
      Value owner = evaluate(select.getExpression(), frame);
      if (owner instanceof Value.ObjectValue object) {
        invoker.fields.setField(object, object.type, name, value, target, frame);
        return value;
      }
      throw error(target, frame, Message.UNSUPPORTED, "assigning a field of " + Describe.of(owner));
    }
    if (target instanceof ArrayAccessTree access) {
      Value array = evaluate(access.getExpression(), frame);
      int index = toInt(evaluate(access.getIndex(), frame), access.getIndex(), frame);
      if (array instanceof Value.ArrayValue a && index >= 0 && index < a.elements.length) {
        a.elements[index] = types.coerce(value, a.componentType);
        return value;
      }
      throw error(target, frame, Message.UNSUPPORTED, "assigning \"" + target + "\"");
    }
    throw error(target, frame, Message.UNSUPPORTED, "assigning \"" + target + "\"");
  }

  private TypeMirror targetType(ExpressionTree target, Frame frame) {
    if (target instanceof IdentifierTree id) {
      VariableElement f = symbols.field(frame.clazz, id.getName().toString());
      if (f != null) {
        return f.asType();
      }
    }
    return null;
  }

  private Value increment(UnaryTree tree, Frame frame) {
    Value old = evaluate(tree.getExpression(), frame);
    Value updated =
        invoker.arithmetic.step(
            old,
            tree.getKind() == Tree.Kind.PREFIX_INCREMENT
                    || tree.getKind() == Tree.Kind.POSTFIX_INCREMENT
                ? 1
                : -1,
            tree,
            frame);
    assign(tree.getExpression(), updated, frame);
    return tree.getKind() == Tree.Kind.PREFIX_INCREMENT
            || tree.getKind() == Tree.Kind.PREFIX_DECREMENT
        ? updated
        : old;
  }

  private Value cast(TypeCastTree tree, Frame frame) {
    Value v = evaluate(tree.getExpression(), frame);
    TypeMirror type = types.typeOf(tree.getType(), frame);
    if (type != null && type.getKind().isPrimitive()) {
      if (v instanceof Value.Symbolic) {
        throw error(
            tree,
            frame,
            Message.UNSUPPORTED,
            "a primitive cast of a traced value (\"" + tree + "\")");
      }
      return types.coerce(v, type);
    }
    if (v instanceof Value.Opaque o && o.recipe() != null && type != null) {
      return new Value.Opaque(type, new Arg.Cast(TypeNames.of(type, symbols.types), o.recipe()));
    }
    return v;
  }
}
