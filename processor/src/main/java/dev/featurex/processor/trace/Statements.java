package dev.featurex.processor.trace;

import com.sun.source.tree.AssertTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.BreakTree;
import com.sun.source.tree.ContinueTree;
import com.sun.source.tree.DoWhileLoopTree;
import com.sun.source.tree.EmptyStatementTree;
import com.sun.source.tree.EnhancedForLoopTree;
import com.sun.source.tree.ExpressionStatementTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.ForLoopTree;
import com.sun.source.tree.IfTree;
import com.sun.source.tree.LabeledStatementTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.ReturnTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.SwitchTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.TryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.tree.WhileLoopTree;
import com.sun.source.tree.YieldTree;
import com.sun.source.util.SimpleTreeVisitor;
import dev.featurex.processor.diagnostics.Message;
import java.util.List;
import javax.lang.model.type.TypeMirror;

/**
 * Statements: one {@code visitX} per construct the tracer follows; anything else is reported as not
 * followed. Loops run on known values (so loops over modules unroll); control flow leaves a
 * statement as a {@link Jump}. Stateless: the state is the {@link Frame} passed in.
 */
final class Statements extends SimpleTreeVisitor<Void, Frame> {

  static final Statements INSTANCE = new Statements();

  private Statements() {}

  /** Runs {@code tree}, counting a step. */
  void execute(StatementTree tree, Frame frame) {
    frame.step(tree);
    tree.accept(this, frame);
  }

  @Override
  protected Void defaultAction(Tree node, Frame frame) {
    throw frame.unsupported(node, Describe.of(node));
  }

  @Override
  public Void visitBlock(BlockTree tree, Frame frame) {
    for (StatementTree s : tree.getStatements()) {
      execute(s, frame);
    }
    return null;
  }

  @Override
  public Void visitVariable(VariableTree tree, Frame frame) {
    declare(tree, frame);
    return null;
  }

  /** Declares a local with its initial value (null when it has none). */
  static void declare(VariableTree tree, Frame frame) {
    TypeMirror type = frame.typeTrees().typeOf(tree.getType(), frame);
    Value value;
    ExpressionTree init = tree.getInitializer();
    if (init == null) {
      value = Value.Known.NULL;
    } else if (init instanceof NewArrayTree array && array.getType() == null) {
      value = Expressions.INSTANCE.arrayInitializer(array, type, frame);
    } else {
      value = frame.evaluate(init);
    }
    frame.setLocal(tree.getName().toString(), frame.typeTrees().coerce(value, type));
  }

  @Override
  public Void visitExpressionStatement(ExpressionStatementTree tree, Frame frame) {
    frame.evaluate(tree.getExpression());
    return null;
  }

  @Override
  public Void visitIf(IfTree tree, Frame frame) {
    ThrowTree thrown =
        tree.getElseStatement() == null ? Guards.onlyThrow(tree.getThenStatement()) : null;
    if (thrown != null) {
      // if (a || b) throw ...: a guard per disjunct, in order (h != size || w != size).
      List<ExpressionTree> disjuncts = Guards.disjuncts(tree.getCondition());
      if (disjuncts.size() > 1) {
        for (ExpressionTree disjunct : disjuncts) {
          Value condition = frame.evaluate(disjunct);
          if (condition.isTraced()) {
            Guards.record(condition, thrown, frame);
          } else if (frame.truth(condition, disjunct, "the if condition")) {
            execute(tree.getThenStatement(), frame);
            return null;
          }
        }
        return null;
      }
    }
    Value condition = frame.evaluate(tree.getCondition());
    if (condition.isTraced() && thrown != null) {
      Guards.record(condition, thrown, frame);
      return null;
    }
    if (frame.truth(condition, tree.getCondition(), "the if condition")) {
      execute(tree.getThenStatement(), frame);
    } else if (tree.getElseStatement() != null) {
      execute(tree.getElseStatement(), frame);
    }
    return null;
  }

  @Override
  public Void visitForLoop(ForLoopTree tree, Frame frame) {
    forLoop(tree, frame, null);
    return null;
  }

  @Override
  public Void visitEnhancedForLoop(EnhancedForLoopTree tree, Frame frame) {
    forEach(tree, frame, null);
    return null;
  }

  @Override
  public Void visitWhileLoop(WhileLoopTree tree, Frame frame) {
    whileLoop(tree, frame, null);
    return null;
  }

  @Override
  public Void visitDoWhileLoop(DoWhileLoopTree tree, Frame frame) {
    doWhile(tree, frame, null);
    return null;
  }

  @Override
  public Void visitLabeledStatement(LabeledStatementTree tree, Frame frame) {
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
    } catch (Jump jump) {
      if (jump.kind != Jump.Kind.BREAK || !label.equals(jump.label)) {
        throw jump;
      }
    }
    return null;
  }

  /** Runs a loop body; returns false when the loop must stop (a break aimed at it). */
  private boolean body(StatementTree body, Frame frame, String label) {
    try {
      execute(body, frame);
      return true;
    } catch (Jump jump) {
      if (jump.targets(Jump.Kind.BREAK, label)) {
        return false;
      }
      if (jump.targets(Jump.Kind.CONTINUE, label)) {
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
        || frame.condition(tree.getCondition(), "the loop condition")) {
      frame.step(tree);
      if (!body(tree.getStatement(), frame, label)) {
        return;
      }
      for (ExpressionStatementTree update : tree.getUpdate()) {
        frame.evaluate(update.getExpression());
      }
    }
  }

  private void whileLoop(WhileLoopTree tree, Frame frame, String label) {
    while (frame.condition(tree.getCondition(), "the loop condition")) {
      frame.step(tree);
      if (!body(tree.getStatement(), frame, label)) {
        return;
      }
    }
  }

  private void doWhile(DoWhileLoopTree tree, Frame frame, String label) {
    do {
      frame.step(tree);
      if (!body(tree.getStatement(), frame, label)) {
        return;
      }
    } while (frame.condition(tree.getCondition(), "the loop condition"));
  }

  private void forEach(EnhancedForLoopTree tree, Frame frame, String label) {
    Value iterable = frame.evaluate(tree.getExpression());
    List<Value> items;
    if (iterable instanceof ArrayValue array) {
      items = array.elements();
    } else if (iterable instanceof ListValue list) {
      items = list.elements();
    } else if (iterable instanceof ModuleValue module
        && !module.kind().isLeaf()
        && module.kind().isNative()) {
      items = List.copyOf(module.children().values());
    } else if (iterable.isTraced()) {
      throw frame.error(
          tree.getExpression(),
          Message.TENSOR_CONDITION,
          "a for loop over " + tree.getExpression());
    } else {
      throw frame.unsupported(
          tree.getExpression(),
          "a for loop over "
              + iterable.describe()
              + " (arrays, Lists and module containers are unrolled)");
    }
    TypeMirror type = frame.typeTrees().typeOf(tree.getVariable().getType(), frame);
    String variable = tree.getVariable().getName().toString();
    for (Value item : items) {
      frame.step(tree);
      frame.setLocal(variable, frame.typeTrees().coerce(item, type));
      if (!body(tree.getStatement(), frame, label)) {
        return;
      }
    }
  }

  @Override
  public Void visitReturn(ReturnTree tree, Frame frame) {
    ExpressionTree e = tree.getExpression();
    throw new Jump(Jump.Kind.RETURN, null, e == null ? Value.Known.NULL : frame.evaluate(e));
  }

  @Override
  public Void visitBreak(BreakTree tree, Frame frame) {
    throw new Jump(
        Jump.Kind.BREAK, tree.getLabel() == null ? null : tree.getLabel().toString(), null);
  }

  @Override
  public Void visitContinue(ContinueTree tree, Frame frame) {
    throw new Jump(
        Jump.Kind.CONTINUE, tree.getLabel() == null ? null : tree.getLabel().toString(), null);
  }

  @Override
  public Void visitYield(YieldTree tree, Frame frame) {
    throw new Jump(Jump.Kind.YIELD, null, frame.evaluate(tree.getValue()));
  }

  @Override
  public Void visitThrow(ThrowTree tree, Frame frame) {
    throw frame.error(tree, Message.THROWS, "this code", tree.getExpression());
  }

  @Override
  public Void visitTry(TryTree tree, Frame frame) {
    for (Tree resource : tree.getResources()) {
      if (resource instanceof VariableTree v) {
        declare(v, frame);
      } else {
        frame.evaluate((ExpressionTree) resource);
      }
    }
    try {
      execute(tree.getBlock(), frame);
    } finally {
      if (tree.getFinallyBlock() != null) {
        execute(tree.getFinallyBlock(), frame);
      }
    }
    return null;
  }

  @Override
  public Void visitSynchronized(SynchronizedTree tree, Frame frame) {
    execute(tree.getBlock(), frame);
    return null;
  }

  @Override
  public Void visitSwitch(SwitchTree tree, Frame frame) {
    Switches.statement(tree, frame);
    return null;
  }

  @Override
  public Void visitEmptyStatement(EmptyStatementTree tree, Frame frame) {
    return null;
  }

  @Override
  public Void visitAssert(AssertTree tree, Frame frame) {
    return null; // assertions are off, as in a JVM started without -ea
  }
}
