package dev.featurex.processor.trace;

import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import dev.featurex.processor.Message;
import java.util.List;
import java.util.Objects;

/**
 * {@code switch} statements and expressions on known values (ints, chars, strings, enum constants
 * of classes with source): the matching case runs, with fall-through for {@code case X:} groups and
 * none for {@code case X ->} rules; {@code yield} gives a switch expression its value.
 */
final class Switches {

  private final Interpreter interpreter;

  Switches(Interpreter interpreter) {
    this.interpreter = interpreter;
  }

  void statement(SwitchTree tree, Frame frame) {
    Value selector = selector(tree.getExpression(), frame);
    try {
      run(tree.getCases(), selector, frame, false);
    } catch (Frame.Jump jump) {
      if (jump.kind != Frame.Jump.Kind.BREAK || jump.label != null) {
        throw jump;
      }
    }
  }

  Value expression(SwitchExpressionTree tree, Frame frame) {
    Value selector = selector(tree.getExpression(), frame);
    try {
      Value value = run(tree.getCases(), selector, frame, true);
      if (value != null) {
        return value;
      }
    } catch (Frame.Jump jump) {
      if (jump.kind == Frame.Jump.Kind.YIELD) {
        return jump.value;
      }
      throw jump;
    }
    throw interpreter.error(
        tree, frame, Message.THROWS, "\"switch\"", "no case matches " + Describe.of(selector));
  }

  private Value selector(ExpressionTree expression, Frame frame) {
    Value v = interpreter.evaluate(expression, frame);
    if (v instanceof Value.Symbolic) {
      throw interpreter.error(
          expression, frame, Message.TENSOR_CONDITION, "the switch on \"" + expression + "\"");
    }
    return v;
  }

  /**
   * Runs the matching case; for an expression rule whose body is an expression, returns its value.
   */
  private Value run(
      List<? extends CaseTree> cases, Value selector, Frame frame, boolean isExpression) {
    int start = -1;
    for (int i = 0; i < cases.size() && start < 0; i++) {
      for (ExpressionTree label : cases.get(i).getExpressions()) {
        if (matches(selector, label, frame)) {
          start = i;
          break;
        }
      }
    }
    for (int i = 0; i < cases.size() && start < 0; i++) {
      if (cases.get(i).getExpressions().isEmpty()) {
        start = i; // default
      }
    }
    if (start < 0) {
      return null;
    }
    CaseTree first = cases.get(start);
    if (first.getCaseKind() == CaseTree.CaseKind.RULE) {
      Tree body = first.getBody();
      if (body instanceof ExpressionTree e) {
        Value value = interpreter.evaluate(e, frame);
        return isExpression ? value : null;
      }
      interpreter.execute((StatementTree) body, frame);
      return null;
    }
    for (CaseTree c : cases.subList(start, cases.size())) {
      for (StatementTree s : c.getStatements()) {
        interpreter.execute(s, frame);
      }
    }
    return null;
  }

  private boolean matches(Value selector, ExpressionTree label, Frame frame) {
    if (selector instanceof Value.ObjectValue object && label instanceof IdentifierTree id) {
      // An enum constant, named without its class.
      return interpreter.invoker.fields.staticField(
              object.type, id.getName().toString(), label, frame)
          == selector;
    }
    Value value = interpreter.evaluate(label, frame);
    if (selector instanceof Value.Known a && value instanceof Value.Known b) {
      if (a.value() instanceof Number || a.value() instanceof Character) {
        return interpreter
            .invoker
            .arithmetic
            .binary(Tree.Kind.EQUAL_TO, a.value(), b.value(), label, frame)
            .equals(new Value.Known(true));
      }
      return Objects.equals(a.value(), b.value());
    }
    return selector == value;
  }
}
