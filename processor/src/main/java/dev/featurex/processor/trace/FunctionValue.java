package dev.featurex.processor.trace;

import com.sun.source.tree.BlockTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import dev.featurex.processor.model.Arg;
import java.util.List;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.TypeMirror;

/**
 * A function value: a lambda (with the locals it captured) or a method reference. Calling any
 * method of its functional interface ({@code apply}, {@code get}, {@code accept}...) runs it. This
 * is how a Java port of torchvision's {@code norm_layer} argument reads: {@code
 * BatchNorm2dImpl::new}, {@code c -> new BatchNorm2dImpl(c)}, {@code Nn::batchNorm2d}.
 */
public final class FunctionValue implements Value {

  private final LambdaExpressionTree lambda;
  private final Frame closure;
  private final Value target;
  private final String method;

  private FunctionValue(LambdaExpressionTree lambda, Frame closure, Value target, String method) {
    this.lambda = lambda;
    this.closure = closure;
    this.target = target;
    this.method = method;
  }

  /** A lambda, closing over {@code closure}'s locals and {@code this}. */
  static FunctionValue lambda(LambdaExpressionTree tree, Frame closure) {
    return new FunctionValue(tree, closure, null, null);
  }

  /**
   * A method reference {@code target::method}; {@code method} is {@code <init>} for {@code
   * Type::new}; {@code target} is a {@link Value.TypeRef} for {@code Type::m}.
   */
  static FunctionValue reference(Value target, String method) {
    return new FunctionValue(null, null, target, method);
  }

  @Override
  public String describe() {
    return lambda != null ? "a lambda" : "the method reference ::" + method;
  }

  @Override
  public TypeMirror staticType(Symbols symbols) {
    return null;
  }

  @Override
  public boolean isTraced() {
    return false;
  }

  @Override
  public Value invoke(String name, List<Value> args, Tree site, Frame frame) {
    return lambda != null ? applyLambda(args, site, frame) : applyReference(args, site, frame);
  }

  private Value applyLambda(List<Value> args, Tree site, Frame caller) {
    if (caller.phase().tracesForward() && !closure.phase().tracesForward()) {
      // Its body would run as code that builds the model: no nodes, no guards on what it reads.
      throw caller.unsupported(
          site,
          "a lambda made when the model was built (held in a field) and called in forward (\""
              + Describe.abbreviate(site)
              + "\"); declare the lambda in forward, or write it as a method of the class");
    }
    List<? extends VariableTree> params = lambda.getParameters();
    if (params.size() != args.size()) {
      throw caller.unresolved(
          site, "the lambda takes " + params.size() + " arguments, not " + args.size());
    }
    // The body runs in the caller's scope, as a Python lambda runs in torch.fx's current module.
    Frame frame = closure.closure(caller.scope());
    for (int i = 0; i < params.size(); i++) {
      frame.setLocal(params.get(i).getName().toString(), args.get(i));
    }
    caller.enter(site);
    try {
      if (lambda.getBody() instanceof ExpressionTree body) {
        return frame.evaluate(body);
      }
      try {
        frame.execute((BlockTree) lambda.getBody());
      } catch (Jump jump) {
        if (jump.kind == Jump.Kind.RETURN) {
          return jump.value;
        }
        throw jump;
      }
      return Value.Known.NULL;
    } finally {
      caller.leave();
    }
  }

  private Value applyReference(List<Value> args, Tree site, Frame frame) {
    if (!(target instanceof Value.TypeRef ref)) {
      return target.invoke(method, args, site, frame);
    }
    TypeElement type = ref.type();
    if (method.equals("<init>")) {
      return frame.invocations().instantiate(type, args, site, frame);
    }
    ExecutableElement asStatic =
        frame.symbols().choose(frame.symbols().methods(type, method), args);
    if (asStatic != null && Symbols.isStatic(asStatic)) {
      return ref.invoke(method, args, site, frame);
    }
    if (args.isEmpty()) {
      throw frame.unresolved(site, "no argument to call it on");
    }
    // Type::instanceMethod: the first argument is the receiver.
    return args.get(0).invoke(method, args.subList(1, args.size()), site, frame);
  }

  @Override
  public Arg toArg(Tree site, Frame frame) {
    throw frame.unsupported(site, "passing " + describe() + " to a traced call");
  }
}
