package dev.featurex.processor.trace;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.NewClassTree;
import com.sun.source.tree.ParenthesizedTree;
import com.sun.source.tree.StatementTree;
import com.sun.source.tree.ThrowTree;
import com.sun.source.tree.Tree;
import dev.featurex.processor.model.Arg;
import dev.featurex.processor.model.TypeNames;
import java.util.ArrayList;
import java.util.List;
import javax.lang.model.element.TypeElement;

/**
 * Guard clauses in {@code forward}: {@code if (condition) throw new SomeException(message);} with a
 * condition on traced values ({@code h != imageSize}) is a check on the input, not a decision on
 * what runs. It becomes a guard node (torch.fx's {@code _assert}) that generated code runs before
 * the nodes after it, throwing the same exception with the same message. torch.fx cannot trace such
 * a check unless written with {@code torch._assert}; here it is the plain Java way.
 */
final class Guards {

  private Guards() {}

  /** The throw statement that is the whole of {@code branch}, or null. */
  static ThrowTree onlyThrow(StatementTree branch) {
    if (branch instanceof ThrowTree thrown) {
      return thrown;
    }
    if (branch instanceof BlockTree block
        && block.getStatements().size() == 1
        && block.getStatements().get(0) instanceof ThrowTree thrown) {
      return thrown;
    }
    return null;
  }

  /** The operands of {@code a || b || c} (parentheses removed), or the condition itself. */
  static List<ExpressionTree> disjuncts(ExpressionTree condition) {
    List<ExpressionTree> out = new ArrayList<>();
    collectDisjuncts(condition, out);
    return out;
  }

  private static void collectDisjuncts(ExpressionTree tree, List<ExpressionTree> out) {
    ExpressionTree bare = tree;
    while (bare instanceof ParenthesizedTree p) {
      bare = p.getExpression();
    }
    if (bare instanceof BinaryTree b && b.getKind() == Tree.Kind.CONDITIONAL_OR) {
      collectDisjuncts(b.getLeftOperand(), out);
      collectDisjuncts(b.getRightOperand(), out);
    } else {
      out.add(tree);
    }
  }

  /** Records the guard {@code if (condition) throw ...}. */
  static void record(Value condition, ThrowTree thrown, Frame frame) {
    ExpressionTree expression = thrown.getExpression();
    if (!(expression instanceof NewClassTree created) || created.getClassBody() != null) {
      throw frame.unsupported(
          thrown, "a guard that does not throw a new exception (write throw new X(message))");
    }
    TypeElement type =
        Symbols.asTypeElement(frame.typeTrees().typeOf(created.getIdentifier(), frame));
    TypeElement runtimeException = frame.symbols().type("java.lang.RuntimeException");
    if (type == null
        || !type.getQualifiedName().toString().startsWith("java.")
        || !frame.symbols().isSubtype(type.asType(), runtimeException)) {
      throw frame.unsupported(
          thrown,
          "a guard that throws "
              + created.getIdentifier()
              + "; a guard throws a JDK unchecked exception (IllegalArgumentException,"
              + " IllegalStateException...)");
    }
    List<Arg> args = new ArrayList<>();
    for (ExpressionTree arg : created.getArguments()) {
      args.add(message(arg, frame));
    }
    frame.phase().guard(condition, new Arg.NewObject(TypeNames.of(type), args), thrown, frame);
  }

  /**
   * An argument of the exception: a string concatenation that starts with a known string keeps its
   * traced parts ({@code "got " + h}) as a concatenation generated code redoes; anything else is an
   * ordinary argument.
   */
  private static Arg message(ExpressionTree tree, Frame frame) {
    List<ExpressionTree> parts = new ArrayList<>();
    flatten(tree, parts);
    if (parts.size() > 1) {
      Value first = frame.evaluate(parts.get(0));
      if (first instanceof Value.Known k && k.value() instanceof String) {
        List<Arg> args = new ArrayList<>();
        args.add(first.toArg(tree, frame));
        for (ExpressionTree part : parts.subList(1, parts.size())) {
          args.add(frame.evaluate(part).toArg(part, frame));
        }
        return new Arg.Concat(args);
      }
    }
    return frame.evaluate(tree).toArg(tree, frame);
  }

  private static void flatten(ExpressionTree tree, List<ExpressionTree> parts) {
    if (tree.getKind() == Tree.Kind.PLUS) {
      BinaryTree plus = (BinaryTree) tree;
      flatten(plus.getLeftOperand(), parts);
      parts.add(plus.getRightOperand());
    } else {
      parts.add(tree);
    }
  }
}
