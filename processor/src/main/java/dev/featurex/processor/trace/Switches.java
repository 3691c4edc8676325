package dev.featurex.processor.trace;

import com.sun.source.tree.CaseTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchExpressionTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.Tree;
import dev.featurex.processor.diagnostics.Message;
import dev.featurex.processor.model.Operator;
import java.util.List;
import java.util.Objects;

/**
 * {@code switch} statements and expressions on known values (ints, chars, strings, enum constants
 * of classes with source): the matching case runs, with fall-through for {@code case X:} groups and
 * none for {@code case X ->} rules; {@code yield} gives a switch expression its value.
 */
final class Switches {

  private Switches() {}

  static void statement(SwitchTree tree, Frame frame) {
    Value selector = selector(tree.getExpression(), frame);
    try {
      run(tree.getCases(), selector, frame);
    } catch (Jump jump) {
      if (jump.kind != Jump.Kind.BREAK || jump.label != null) {
        throw jump;
      }
    }
  }

  static Value expression(SwitchExpressionTree tree, Frame frame) {
    Value selector = selector(tree.getExpression(), frame);
    try {
      Value value = run(tree.getCases(), selector, frame);
      if (value != null) {
        return value;
      }
    } catch (Jump jump) {
      if (jump.kind == Jump.Kind.YIELD) {
        return jump.value;
      }
      throw jump;
    }
    throw frame.error(tree, Message.THROWS, "\"switch\"", "no case matches " + selector.describe());
  }

  private static Value selector(ExpressionTree expression, Frame frame) {
    Value v = frame.evaluate(expression);
    if (v.isTraced()) {
      throw frame.error(
          expression, Message.TENSOR_CONDITION, "the switch on \"" + expression + "\"");
    }
    return v;
  }

  /** Runs the matching case; for a rule whose body is an expression, returns its value. */
  private static Value run(List<? extends CaseTree> cases, Value selector, Frame frame) {
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
        return frame.evaluate(e);
      }
      frame.execute((StatementTree) body);
      return null;
    }
    for (CaseTree c : cases.subList(start, cases.size())) {
      for (StatementTree s : c.getStatements()) {
        frame.execute(s);
      }
    }
    return null;
  }

  private static boolean matches(Value selector, ExpressionTree label, Frame frame) {
    if (selector instanceof ObjectValue object && label instanceof IdentifierTree id) {
      // An enum constant, named without its class.
      return frame.statics().read(object.type(), id.getName().toString(), label, frame) == selector;
    }
    Value value = frame.evaluate(label);
    if (selector instanceof Value.Known a && value instanceof Value.Known b) {
      if (a.value() instanceof Number || a.value() instanceof Character) {
        return Boolean.TRUE.equals(Operator.EQUAL.apply(a.value(), b.value()));
      }
      return Objects.equals(a.value(), b.value());
    }
    return selector == value;
  }
}
